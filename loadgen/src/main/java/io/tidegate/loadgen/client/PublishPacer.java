package io.tidegate.loadgen.client;

/**
 * The publish schedule of one paced device: message k is due at {@code first + k * interval}. Latency
 * is measured from these intended times, so a device held back by a full window or a slow broker
 * reports the wait as latency instead of quietly sending later (no coordinated omission).
 */
public final class PublishPacer {

    private final long intervalNanos;
    private long nextNanos;

    public PublishPacer(long firstNanos, long intervalNanos) {
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("interval must be positive: " + intervalNanos);
        }
        this.intervalNanos = intervalNanos;
        this.nextNanos = firstNanos;
    }

    /** The pacer for a device publishing {@code ratePerSecond}, starting at a per-device phase in its first interval. */
    public static PublishPacer forDevice(long startNanos, double ratePerSecond, int deviceIndex) {
        long interval = Math.max(1, Math.round(1e9 / ratePerSecond));
        // Golden-ratio phases spread a fleet evenly over the interval, whatever its size.
        double phase = (deviceIndex * 0.6180339887498949) % 1.0;
        return new PublishPacer(startNanos + (long) (phase * interval), interval);
    }

    public long nextIntendedNanos() {
        return nextNanos;
    }

    public boolean isDue(long nowNanos) {
        return nowNanos - nextNanos >= 0;
    }

    /** Moves to the next message; call once per message sent. */
    public void advance() {
        nextNanos += intervalNanos;
    }

    public long intervalNanos() {
        return intervalNanos;
    }
}
