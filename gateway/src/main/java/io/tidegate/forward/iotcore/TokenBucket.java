package io.tidegate.forward.iotcore;

/**
 * A rate limit as a bucket of tokens refilled continuously at {@code perSecond} and holding at most
 * one second's worth, so a connection may burst up to its per-second limit and never above it in
 * any one-second window. Used by one thread (the forwarder's); the clock is passed in.
 */
final class TokenBucket {

    private final double perNano;
    private final double capacity;
    private double tokens;
    private long lastNanos;

    TokenBucket(double perSecond, long nowNanos) {
        this.perNano = perSecond / 1e9;
        this.capacity = perSecond;
        this.tokens = perSecond;
        this.lastNanos = nowNanos;
    }

    /**
     * Nanoseconds until {@code amount} tokens are there, 0 when they are now. An amount above the
     * capacity needs a full bucket and then drives the balance negative, so it is paid for later.
     */
    long delayNanos(double amount, long nowNanos) {
        refill(nowNanos);
        double needed = Math.min(amount, capacity);
        return tokens >= needed ? 0 : (long) Math.ceil((needed - tokens) / perNano);
    }

    /** Takes {@code amount}, whatever the balance: call after {@link #delayNanos} returned 0. */
    void take(double amount, long nowNanos) {
        refill(nowNanos);
        tokens -= amount;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * perNano);
            lastNanos = nowNanos;
        }
    }
}
