package io.tidegate.config;

/**
 * Batching of one destination's writes: a batch is ready when it is full or {@code lingerMs} passed.
 *
 * @param maxRecords records in one batch
 * @param maxBytes   payload bytes in one batch
 * @param lingerMs   how long to wait for more records before writing a partial batch
 */
public record BatchConfig(Integer maxRecords, Integer maxBytes, Integer lingerMs) {

    public BatchConfig {
        maxRecords = maxRecords == null ? 1000 : maxRecords;
        maxBytes = maxBytes == null ? 4 * 1024 * 1024 : maxBytes;
        lingerMs = lingerMs == null ? 20 : lingerMs;
    }
}
