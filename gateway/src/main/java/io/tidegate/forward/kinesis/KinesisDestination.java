package io.tidegate.forward.kinesis;

import io.tidegate.config.AwsConfig;
import io.tidegate.config.KinesisConfig;
import io.tidegate.forward.Destination;
import io.tidegate.forward.DestinationLimits;
import io.tidegate.forward.WriteResult;
import io.tidegate.forward.aws.AwsClientSettings;
import io.tidegate.forward.aws.AwsErrors;
import io.tidegate.forward.aws.AwsHttp;
import io.tidegate.forward.aws.MessageKey;
import io.tidegate.outbox.OutboxEntry;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Kinesis Data Streams through PutRecords. Batches stay within the call's limits (500 records,
 * 5 MiB including partition keys, 1 MiB per record). A record the service fails
 * ({@code FailedRecordCount} > 0) makes exactly its messages retriable: throttled for
 * {@code ProvisionedThroughputExceededException}, retriable for {@code InternalFailure}.
 *
 * <p>The client is the asynchronous one on the gateway's shared HTTP client, so a destination can
 * have several calls under way ({@code batch.maxInFlight}) without a thread each.
 */
public final class KinesisDestination implements Destination {

    static final int MAX_RECORDS = 500;
    /** Messages in one aggregated call: well past what 5 MiB holds of small messages. */
    static final int MAX_AGGREGATED_MESSAGES = 100_000;
    static final long MAX_CALL_BYTES = 5L * 1024 * 1024;
    static final long MAX_RECORD_BYTES = 1024 * 1024;
    /** A PUT payload unit is 25 KB of one record, rounded up. */
    static final long PUT_PAYLOAD_UNIT_BYTES = 25 * 1024;
    private static final String THROUGHPUT_EXCEEDED = "ProvisionedThroughputExceededException";

    private final KinesisAsyncClient client;
    /** The HTTP client when this destination made its own (closed with it), else null. */
    private final AwsHttp ownHttp;
    private final String stream;
    private final RecordPacker packer;

    /** On the gateway's shared HTTP client. */
    public KinesisDestination(AwsConfig aws, KinesisConfig kinesis, AwsHttp http) {
        this(aws, kinesis, http, false);
    }

    /** With an HTTP client of its own (tools and benchmarks that run one destination). */
    public KinesisDestination(AwsConfig aws, KinesisConfig kinesis) {
        this(aws, kinesis, AwsHttp.create(), true);
    }

    private KinesisDestination(AwsConfig aws, KinesisConfig kinesis, AwsHttp http, boolean ownsHttp) {
        this(AwsClientSettings.applyAsync(KinesisAsyncClient.builder(), aws, http).build(), ownsHttp ? http : null,
                kinesis);
    }

    KinesisDestination(KinesisAsyncClient client, AwsHttp ownHttp, KinesisConfig kinesis) {
        this.client = client;
        this.ownHttp = ownHttp;
        this.stream = kinesis.stream();
        this.packer = new RecordPacker(MessageKey.of(kinesis.partitionKey()), kinesis.aggregation(),
                kinesis.aggregationTargetBytes(), kinesis.aggregationBuckets());
    }

    /**
     * Without aggregation a call carries 500 messages. With it, a call carries as many messages as
     * fit in 5 MiB (the packer keeps it to 500 records and defers the rest), so that many messages
     * share a record; {@code batch.maxRecords} is then the practical bound.
     */
    @Override
    public DestinationLimits limits() {
        return new DestinationLimits(packer.aggregates() ? MAX_AGGREGATED_MESSAGES : MAX_RECORDS, MAX_CALL_BYTES,
                MAX_RECORD_BYTES);
    }

    @Override
    public long sizeOf(OutboxEntry entry) {
        return packer.sizeOf(entry);
    }

    @Override
    public String billableUnit() {
        return "kinesis_put_payload_units";
    }

    @Override
    public WriteResult write(List<OutboxEntry> batch) throws Exception {
        return AwsErrors.await(writeAsync(batch));
    }

    @Override
    public CompletableFuture<WriteResult> writeAsync(List<OutboxEntry> batch) {
        WriteResult result = WriteResult.accepted(batch.size());
        List<PackedRecord> records = packer.pack(batch, result);
        if (records.isEmpty()) {
            return CompletableFuture.completedFuture(result);
        }
        List<PutRecordsRequestEntry> entries = new ArrayList<>(records.size());
        for (PackedRecord record : records) {
            entries.add(PutRecordsRequestEntry.builder().partitionKey(record.partitionKey())
                    .explicitHashKey(record.explicitHashKey())
                    .data(SdkBytes.fromByteArrayUnsafe(record.data())).build());
        }
        return client.putRecords(PutRecordsRequest.builder().streamName(stream).records(entries).build())
                .handle((response, error) -> {
                    if (error == null) {
                        return outcomes(records, response, result);
                    }
                    Throwable cause = AwsErrors.unwrap(error);
                    if (cause instanceof AwsServiceException e && AwsErrors.isThrottling(e)) {
                        records.forEach(record -> mark(result, record, true, AwsErrors.code(e)));
                        return result;
                    }
                    throw new CompletionException(cause);
                });
    }

    private static WriteResult outcomes(List<PackedRecord> records, PutRecordsResponse response, WriteResult result) {
        List<PutRecordsResultEntry> outcomes = response.records();
        if (outcomes.size() != records.size()) {
            throw new IllegalStateException("PutRecords answered " + outcomes.size() + " results for "
                    + records.size() + " records");
        }
        long units = 0;
        for (int i = 0; i < records.size(); i++) {
            PutRecordsResultEntry outcome = outcomes.get(i);
            if (outcome.errorCode() == null) {
                units += (records.get(i).data().length + PUT_PAYLOAD_UNIT_BYTES - 1) / PUT_PAYLOAD_UNIT_BYTES;
            } else {
                mark(result, records.get(i), THROUGHPUT_EXCEEDED.equals(outcome.errorCode()),
                        outcome.errorCode() + ": " + outcome.errorMessage());
            }
        }
        return result.billableUnits(units);
    }

    private static void mark(WriteResult result, PackedRecord record, boolean throttled, String reason) {
        for (int position : record.positions()) {
            if (throttled) {
                result.throttle(position, reason);
            } else {
                result.retry(position, reason);
            }
        }
    }

    @Override
    public String describe() {
        return "kinesis:" + stream + (packer.aggregates() ? " (aggregated)" : "");
    }

    @Override
    public void close() {
        client.close();
        if (ownHttp != null) {
            ownHttp.close();
        }
    }
}
