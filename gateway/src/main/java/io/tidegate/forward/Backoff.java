package io.tidegate.forward;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with full jitter ("Exponential Backoff and Jitter", AWS Architecture Blog):
 * the n-th retry waits a random time in [0, min(cap, base * 2^n)).
 */
public final class Backoff {

    private final long baseMs;
    private final long capMs;
    /** Picks the wait in [0, ceiling) for a ceiling of at least 1. */
    private final LongUnaryOperator jitter;
    private int attempt;

    public Backoff(long baseMs, long capMs) {
        this(baseMs, capMs, ceiling -> ThreadLocalRandom.current().nextLong(ceiling));
    }

    /** With the jitter given: tests pick waits that do not depend on chance. */
    Backoff(long baseMs, long capMs, LongUnaryOperator jitter) {
        this.baseMs = baseMs;
        this.capMs = capMs;
        this.jitter = jitter;
    }

    /** The next wait; grows until {@link #reset()}. */
    public long nextDelayMs() {
        long ceiling = Math.min(capMs, exponential(attempt));
        attempt++;
        return jitter.applyAsLong(Math.max(1, ceiling));
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
