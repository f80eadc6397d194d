package io.tidegate.loadgen.verify;

import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.kinesis.retrieval.AggregatorUtil;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Kinesis stream, read from the trim horizon of every shard (closed ones included) to its end.
 * KPL-aggregated records are split into their user records with the KCL's {@link AggregatorUtil};
 * plain records are read as they are. The record's partition key names the device when its data
 * does not.
 */
public final class KinesisSource implements VerifySource {

    private static final int RECORDS_PER_CALL = 10_000;
    /** Kinesis allows 5 GetRecords calls per second per shard. */
    private static final Duration CALL_SPACING = Duration.ofMillis(200);

    private final KinesisClient client;
    private final String stream;
    private final AggregatorUtil deaggregator = new AggregatorUtil();

    public KinesisSource(KinesisClient client, String stream) {
        this.client = client;
        this.stream = stream;
    }

    @Override
    public void readInto(SequenceLedger ledger) throws InterruptedException {
        for (Shard shard : shards()) {
            readShard(ledger, shard.shardId());
        }
    }

    private List<Shard> shards() {
        List<Shard> shards = new ArrayList<>();
        ListShardsResponse page = client.listShards(b -> b.streamName(stream));
        shards.addAll(page.shards());
        while (page.nextToken() != null) {
            String token = page.nextToken();
            page = client.listShards(b -> b.nextToken(token));
            shards.addAll(page.shards());
        }
        return shards;
    }

    private void readShard(SequenceLedger ledger, String shardId) throws InterruptedException {
        String iterator = client.getShardIterator(b -> b.streamName(stream).shardId(shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        while (iterator != null) {
            GetRecordsResponse response;
            try {
                String current = iterator;
                response = client.getRecords(b -> b.shardIterator(current).limit(RECORDS_PER_CALL));
            } catch (ProvisionedThroughputExceededException e) {
                Thread.sleep(1000);
                continue;
            }
            for (KinesisClientRecord record : deaggregator.deaggregate(
                    response.records().stream().map(KinesisClientRecord::fromRecord).toList())) {
                byte[] data = new byte[record.data().remaining()];
                record.data().get(data);
                MessageRecords.recordJson(ledger, data, record.partitionKey());
            }
            iterator = response.nextShardIterator();
            Long behind = response.millisBehindLatest();
            if (response.records().isEmpty() && (behind == null || behind == 0)) {
                // At the tip of an open shard: everything stored has been read.
                break;
            }
            if (response.records().isEmpty()) {
                Thread.sleep(CALL_SPACING.toMillis());
            }
        }
    }


    @Override
    public String describe() {
        return "kinesis:" + stream;
    }

    @Override
    public void close() {
        client.close();
    }
}
