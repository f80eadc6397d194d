package io.tidegate.forward;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter ("Exponential Backoff and Jitter", AWS Architecture Blog):
 * the n-th retry waits a random time in [0, min(cap, base * 2^n)).
 */
public final class Backoff {

    private final long baseMs;
    private final long capMs;
    private int attempt;

    public Backoff(long baseMs, long capMs) {
        this.baseMs = baseMs;
        this.capMs = capMs;
    }

    /** The next wait; grows until {@link #reset()}. */
    public long nextDelayMs() {
        long ceiling = Math.min(capMs, exponential(attempt));
        attempt++;
        return ThreadLocalRandom.current().nextLong(Math.max(1, ceiling));
    }

    /** {@code base * 2^n}, saturating at {@link Long#MAX_VALUE} instead of overflowing. */
    private long exponential(int n) {
        if (baseMs == 0) {
            return 0;
        }
        return n < Long.numberOfLeadingZeros(baseMs) - 1 ? baseMs << n : Long.MAX_VALUE;
    }

    public int attempts() {
        return attempt;
    }

    public void reset() {
        attempt = 0;
    }
}
