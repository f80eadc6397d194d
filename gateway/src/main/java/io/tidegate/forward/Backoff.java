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
        long ceiling = Math.min(capMs, baseMs << Math.min(attempt, 30));
        attempt++;
        return ThreadLocalRandom.current().nextLong(Math.max(1, ceiling));
    }

    public int attempts() {
        return attempt;
    }

    public void reset() {
        attempt = 0;
    }
}
