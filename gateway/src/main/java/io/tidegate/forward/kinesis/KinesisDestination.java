package io.tidegate.forward.kinesis;

import io.tidegate.config.AwsConfig;
import io.tidegate.config.KinesisConfig;
import io.tidegate.forward.Destination;
import io.tidegate.forward.DestinationLimits;
import io.tidegate.forward.WriteResult;
import io.tidegate.forward.aws.AwsClientSettings;
import io.tidegate.forward.aws.AwsErrors;
import io.tidegate.forward.aws.MessageKey;
import io.tidegate.outbox.OutboxEntry;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

import java.util.ArrayList;
import java.util.List;

/**
 * Kinesis Data Streams through PutRecords. Batches stay within the call's limits (500 records,
 * 5 MiB including partition keys, 1 MiB per record). A record the service fails
 * ({@code FailedRecordCount} > 0) makes exactly its messages retriable: throttled for
 * {@code ProvisionedThroughputExceededException}, retriable for {@code InternalFailure}.
 *
 * <p>The client is the synchronous one, called from the forwarder's own thread: one write is in
 * flight per destination anyway (strict order), so an async client would only add a hand-over.
 */
public final class KinesisDestination implements Destination {

    static final int MAX_RECORDS = 500;
    static final long MAX_CALL_BYTES = 5L * 1024 * 1024;
    static final long MAX_RECORD_BYTES = 1024 * 1024;
    /** A PUT payload unit is 25 KB of one record, rounded up. */
    static final long PUT_PAYLOAD_UNIT_BYTES = 25 * 1024;
    private static final String THROUGHPUT_EXCEEDED = "ProvisionedThroughputExceededException";

    private final KinesisClient client;
    private final String stream;
    private final RecordPacker packer;

    public KinesisDestination(AwsConfig aws, KinesisConfig kinesis) {
        this(AwsClientSettings.apply(KinesisClient.builder(), aws).build(), kinesis);
    }

    KinesisDestination(KinesisClient client, KinesisConfig kinesis) {
        this.client = client;
        this.stream = kinesis.stream();
        this.packer = new RecordPacker(MessageKey.of(kinesis.partitionKey()), kinesis.aggregation(),
                kinesis.aggregationTargetBytes());
    }

    /**
     * With aggregation a call still carries at most 500 messages: then it never holds more than 500
     * aggregated records, whatever the number of partition keys.
     */
    @Override
    public DestinationLimits limits() {
        return new DestinationLimits(MAX_RECORDS, MAX_CALL_BYTES, MAX_RECORD_BYTES);
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
    public WriteResult write(List<OutboxEntry> batch) {
        WriteResult result = WriteResult.accepted(batch.size());
        List<PackedRecord> records = packer.pack(batch, result);
        if (records.isEmpty()) {
            return result;
        }
        List<PutRecordsRequestEntry> entries = new ArrayList<>(records.size());
        for (PackedRecord record : records) {
            entries.add(PutRecordsRequestEntry.builder().partitionKey(record.partitionKey())
                    .data(SdkBytes.fromByteArrayUnsafe(record.data())).build());
        }
        PutRecordsResponse response;
        try {
            response = client.putRecords(PutRecordsRequest.builder().streamName(stream).records(entries).build());
        } catch (AwsServiceException e) {
            if (!AwsErrors.isThrottling(e)) {
                throw e;
            }
            records.forEach(record -> mark(result, record, true, AwsErrors.code(e)));
            return result;
        }
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
    }
}
