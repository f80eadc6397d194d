package io.tidegate.config;

/**
 * The durable queues, one per destination, under {@code <dataDir>/outbox/<destination>}.
 *
 * @param rollCycle         how often a queue starts a new file; rolled files are deleted once every reader passed them
 * @param sync              when appended entries are forced to the disk (see {@link SyncPolicy})
 * @param syncIntervalMs    {@code interval}: how often
 * @param minFreeDiskBytes  free space to keep on the outbox file system; below it the outboxes count as full
 * @param pretouchAheadBytes how far ahead of the appender a background thread faults in the queue
 *                          file's pages, so the ingest thread does not; 0 turns it off
 */
public record OutboxConfig(RollCycle rollCycle, SyncPolicy sync, Integer syncIntervalMs, Long minFreeDiskBytes,
                           Long pretouchAheadBytes) {

    public OutboxConfig {
        rollCycle = rollCycle == null ? RollCycle.TEN_MINUTELY : rollCycle;
        sync = sync == null ? SyncPolicy.NONE : sync;
        syncIntervalMs = syncIntervalMs == null ? 1000 : syncIntervalMs;
        minFreeDiskBytes = minFreeDiskBytes == null ? 256L * 1024 * 1024 : minFreeDiskBytes;
        pretouchAheadBytes = pretouchAheadBytes == null ? 4L * 1024 * 1024 : pretouchAheadBytes;
    }

    /** The defaults with {@code sync} and {@code syncIntervalMs}. */
    public OutboxConfig(RollCycle rollCycle, SyncPolicy sync, Integer syncIntervalMs, Long minFreeDiskBytes) {
        this(rollCycle, sync, syncIntervalMs, minFreeDiskBytes, null);
    }

    /** The defaults with {@code rollCycle}. */
    public OutboxConfig(RollCycle rollCycle) {
        this(rollCycle, null, null, null, null);
    }

    public enum RollCycle { FIVE_MINUTELY, TEN_MINUTELY, HALF_HOURLY, HOURLY, DAILY }

    /**
     * {@code none}: entries are in the memory-mapped file when the publisher is acknowledged, which
     * survives a crash of the process but not of the machine; {@code interval}: also forced to disk
     * every {@code syncIntervalMs} (a power loss loses at most that much); {@code batch}: forced to
     * disk before the acknowledgements of each ring batch go out (a PUBACK survives a power loss).
     */
    public enum SyncPolicy { NONE, INTERVAL, BATCH }
}
