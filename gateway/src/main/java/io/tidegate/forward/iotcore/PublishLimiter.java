package io.tidegate.forward.iotcore;

/**
 * One upstream connection's send budget: publishes per second and payload bytes per second, the
 * two IoT Core limits per connection (100 publishes/s, 512 KiB/s) that a gateway with one client
 * hits first. A publish goes only when both buckets have room.
 */
final class PublishLimiter {

    private final TokenBucket publishes;
    private final TokenBucket bytes;

    PublishLimiter(int publishesPerSecond, int bytesPerSecond, long nowNanos) {
        this.publishes = new TokenBucket(publishesPerSecond, nowNanos);
        this.bytes = new TokenBucket(bytesPerSecond, nowNanos);
    }

    /** Nanoseconds until a publish of {@code payloadBytes} may go; 0 when it may go now. */
    long delayNanos(int payloadBytes, long nowNanos) {
        return Math.max(publishes.delayNanos(1, nowNanos), bytes.delayNanos(payloadBytes, nowNanos));
    }

    void take(int payloadBytes, long nowNanos) {
        publishes.take(1, nowNanos);
        bytes.take(payloadBytes, nowNanos);
    }
}
