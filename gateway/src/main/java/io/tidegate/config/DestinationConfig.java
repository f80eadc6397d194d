package io.tidegate.config;

import java.nio.file.Path;

/**
 * One forwarding target.
 *
 * @param type                 the kind of destination
 * @param enabled              a disabled destination keeps its outbox but is not forwarded
 * @param directory            {@code file}: where sink files go (default {@code <dataDir>/sink/<name>})
 * @param maxFileBytes         {@code file}: roll to a new file past this size
 * @param rollIntervalSeconds  {@code file}: roll to a new file after this long
 * @param batch                how records are grouped into one write
 * @param aws                  {@code kinesis}, {@code dynamodb}: region, endpoint and credentials
 * @param kinesis              {@code kinesis}: stream and partition key
 * @param dynamodb             {@code dynamodb}: table and item mapping
 * @param iotcore              {@code iotcore}: endpoint, certificates and the connection pool
 * @param outbox               the outbox's budget and overflow policy
 */
public record DestinationConfig(DestinationType type, Boolean enabled, Path directory, Long maxFileBytes,
                                Integer rollIntervalSeconds, BatchConfig batch, AwsConfig aws, KinesisConfig kinesis,
                                DynamoDbConfig dynamodb, IotCoreConfig iotcore, DestinationOutboxConfig outbox) {

    public DestinationConfig {
        enabled = enabled == null ? Boolean.TRUE : enabled;
        maxFileBytes = maxFileBytes == null ? 64L * 1024 * 1024 : maxFileBytes;
        rollIntervalSeconds = rollIntervalSeconds == null ? 3600 : rollIntervalSeconds;
        batch = batch == null ? new BatchConfig(null, null, null, null) : batch;
        outbox = outbox == null ? new DestinationOutboxConfig(null, null, null) : outbox;
    }

    public enum DestinationType { FILE, KINESIS, DYNAMODB, IOTCORE }
}
