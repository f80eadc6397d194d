package io.tidegate.forward;

/**
 * Hard limits of one destination's write call, in the destination's own size measure
 * ({@link Destination#sizeOf}). The forwarder never builds a batch beyond them, and dead-letters
 * an entry larger than {@code maxRecordBytes} instead of retrying it forever.
 *
 * @param maxRecords     entries in one write (Kinesis PutRecords 500, DynamoDB BatchWriteItem 25)
 * @param maxBatchBytes  bytes in one write (Kinesis 5 MiB, DynamoDB 16 MiB)
 * @param maxRecordBytes bytes of one entry (Kinesis 1 MiB, DynamoDB 400 KB)
 */
public record DestinationLimits(int maxRecords, long maxBatchBytes, long maxRecordBytes) {

    public static final DestinationLimits NONE = new DestinationLimits(Integer.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE);

    public DestinationLimits {
        if (maxRecords < 1 || maxBatchBytes < 1 || maxRecordBytes < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
