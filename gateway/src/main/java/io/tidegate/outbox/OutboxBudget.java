package io.tidegate.outbox;

import io.tidegate.config.DestinationOutboxConfig;

/**
 * Whether one outbox is full: its backlog over the destination's {@code maxBytes}, or the disk
 * below {@code outbox.minFreeDiskBytes}; and the destination's overflow policy and age limit.
 */
public final class OutboxBudget {

    /** Why an entry was dropped: the label of {@code tidegate_outbox_dropped_total}. */
    public enum DropReason {
        MAX_BYTES("max-bytes"), DISK_FULL("disk-full"), MAX_AGE("max-age"), EXPIRED("expired"), CORRUPT("corrupt");

        private final String label;

        DropReason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final Outbox outbox;
    private final DestinationOutboxConfig limits;
    private final DiskSpace disk;

    public OutboxBudget(Outbox outbox, DestinationOutboxConfig limits, DiskSpace disk) {
        this.outbox = outbox;
        this.limits = limits;
        this.disk = disk;
    }

    /** Why the outbox cannot take more now, or null when it can. */
    public DropReason fullness() {
        if (limits.maxBytes() > 0 && outbox.stats().backlogBytes() > limits.maxBytes()) {
            return DropReason.MAX_BYTES;
        }
        return disk.belowFloor() ? DropReason.DISK_FULL : null;
    }

    /** Whether a full outbox holds ingest back (else its oldest entries are dropped). */
    public boolean appliesBackpressure() {
        return limits.overflow() == DestinationOutboxConfig.Overflow.BACKPRESSURE;
    }

    /** Why {@code entry} must not be sent any more at {@code nowMillis} (too old, or expired), or null. */
    public DropReason staleness(OutboxEntry entry, long nowMillis) {
        Long expiry = entry.properties().messageExpirySeconds();
        if (expiry != null && entry.ingestTimeMillis() + expiry * 1000 <= nowMillis) {
            return DropReason.EXPIRED;
        }
        long maxAge = limits.maxAgeSeconds();
        if (maxAge > 0 && entry.ingestTimeMillis() + maxAge * 1000 <= nowMillis) {
            return DropReason.MAX_AGE;
        }
        return null;
    }

    public Outbox outbox() {
        return outbox;
    }
}
