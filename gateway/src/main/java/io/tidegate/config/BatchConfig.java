package io.tidegate.config;

/**
 * Batching of one destination's writes: a batch is ready when it is full or {@code lingerMs} passed.
 *
 * @param maxRecords  records in one batch
 * @param maxBytes    payload bytes in one batch
 * @param lingerMs    how long to wait for more records before writing a partial batch
 * @param maxInFlight batches written at once; 1 keeps strict order per device, more trade it for
 *                    throughput (a retried batch can land after a later one); the outbox position
 *                    still moves only past batches completed in order
 */
public record BatchConfig(Integer maxRecords, Integer maxBytes, Integer lingerMs, Integer maxInFlight) {

    public BatchConfig {
        maxRecords = maxRecords == null ? 1000 : maxRecords;
        maxBytes = maxBytes == null ? 4 * 1024 * 1024 : maxBytes;
        lingerMs = lingerMs == null ? 20 : lingerMs;
        maxInFlight = maxInFlight == null ? 1 : maxInFlight;
    }

    /** One batch in flight. */
    public BatchConfig(Integer maxRecords, Integer maxBytes, Integer lingerMs) {
        this(maxRecords, maxBytes, lingerMs, null);
    }
}
