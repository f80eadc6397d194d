package io.tidegate.config;

/**
 * A Kinesis Data Streams destination.
 *
 * @param stream       stream name
 * @param partitionKey {@code clientid} (default), {@code topic}, or any other text used as it is
 *                     (1 to 256 characters); a {@code ${...}} template goes in a rule action's {@code partitionKey} setting
 * @param aggregation  pack many messages of one partition key into one record (KPL format, KCL-readable)
 * @param aggregationTargetBytes close an aggregated record once it would grow past this size
 * @param aggregationBuckets     0: aggregate each partition key on its own; N: aggregate by N equal slices of the
 *                               hash key space, many devices per record (set it to the stream's shard count)
 */
public record KinesisConfig(String stream, String partitionKey, Boolean aggregation, Integer aggregationTargetBytes,
                            Integer aggregationBuckets) {

    public KinesisConfig {
        partitionKey = partitionKey == null ? KeySource.CLIENT_ID : partitionKey;
        aggregation = aggregation == null ? Boolean.FALSE : aggregation;
        aggregationTargetBytes = aggregationTargetBytes == null ? 51_200 : aggregationTargetBytes;
        aggregationBuckets = aggregationBuckets == null ? 0 : aggregationBuckets;
    }

    /** Aggregation, if on, by partition key. */
    public KinesisConfig(String stream, String partitionKey, Boolean aggregation, Integer aggregationTargetBytes) {
        this(stream, partitionKey, aggregation, aggregationTargetBytes, null);
    }
}
