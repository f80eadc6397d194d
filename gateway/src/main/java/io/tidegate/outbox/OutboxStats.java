package io.tidegate.outbox;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Backlog of one outbox: what was appended and not yet committed by its reader. Kept as counters
 * (seeded by a scan of the uncommitted tail when the outbox opens) so a metrics scrape never reads
 * the queue.
 */
public final class OutboxStats {

    private final AtomicLong backlogEntries = new AtomicLong();
    private final AtomicLong backlogBytes = new AtomicLong();
    private final AtomicLong appendedEntries = new AtomicLong();
    /** Ingest time of the oldest uncommitted entry the reader has seen, or -1 when it knows of none. */
    private volatile long oldestIngestMillis = -1;

    void appended(long bytes) {
        appendedEntries.incrementAndGet();
        backlogEntries.incrementAndGet();
        backlogBytes.addAndGet(bytes);
    }

    void seeded(long entries, long bytes) {
        backlogEntries.addAndGet(entries);
        backlogBytes.addAndGet(bytes);
    }

    void committed(long entries, long bytes) {
        backlogEntries.addAndGet(-entries);
        backlogBytes.addAndGet(-bytes);
    }

    void oldestIngestMillis(long millis) {
        oldestIngestMillis = millis;
    }

    public long backlogEntries() {
        return Math.max(0, backlogEntries.get());
    }

    public long backlogBytes() {
        return Math.max(0, backlogBytes.get());
    }

    public long appendedEntries() {
        return appendedEntries.get();
    }

    /** Age of the oldest entry not yet accepted by the destination; 0 when there is none. */
    public double oldestAgeSeconds(long nowMillis) {
        long oldest = oldestIngestMillis;
        return oldest < 0 || backlogEntries() == 0 ? 0 : Math.max(0, nowMillis - oldest) / 1000.0;
    }
}
