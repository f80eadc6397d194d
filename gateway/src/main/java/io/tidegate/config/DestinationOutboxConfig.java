package io.tidegate.config;

/**
 * How much one destination's outbox may hold while the destination is away, and what happens
 * when it holds that much.
 *
 * @param maxBytes      backlog bytes (entries not yet accepted by the destination); 0 for no limit but the disk
 * @param maxAgeSeconds entries older than this are dropped instead of sent (reason {@code max-age}); 0 keeps them
 * @param overflow      what to do when the outbox is full (over {@code maxBytes}, or the disk below
 *                      {@code outbox.minFreeDiskBytes})
 */
public record DestinationOutboxConfig(Long maxBytes, Long maxAgeSeconds, Overflow overflow) {

    public DestinationOutboxConfig {
        maxBytes = maxBytes == null ? 0L : maxBytes;
        maxAgeSeconds = maxAgeSeconds == null ? 0L : maxAgeSeconds;
        overflow = overflow == null ? Overflow.BACKPRESSURE : overflow;
    }

    /**
     * {@code backpressure}: stop reading from device sockets until there is room, so publishers
     * slow down and nothing acknowledged is lost; {@code drop-oldest}: skip the oldest entries,
     * counted in {@code tidegate_outbox_dropped_total}, and keep taking new ones.
     */
    public enum Overflow { BACKPRESSURE, DROP_OLDEST }
}
