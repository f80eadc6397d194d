package io.tidegate.pipeline;

import java.security.SecureRandom;

/**
 * Stable message ids in the UUID version 7 layout: 48 bits of Unix millis, then a 12-bit and a
 * 32-bit counter, plus 30 random bits chosen per process start. Ids sort by ingest time, and ids
 * from two runs of the gateway (or two gateways) differ by their random part. Single-threaded: the
 * route stage owns the one instance.
 */
final class MessageIdGenerator {

    private final long node;
    private long lastMillis;
    private long counter;

    MessageIdGenerator() {
        this(new SecureRandom().nextInt() & 0x3FFF_FFFFL);
    }

    MessageIdGenerator(long node) {
        this.node = node & 0x3FFF_FFFFL;
    }

    /** Writes the next id into the event. */
    void next(IngestEvent event, long nowMillis) {
        if (nowMillis > lastMillis) {
            lastMillis = nowMillis;
            counter = 0;
        } else {
            counter++;
            if (counter >= 1L << 44) {
                // 2^44 ids in one millisecond cannot happen; borrow the next millisecond if it did.
                lastMillis++;
                counter = 0;
            }
        }
        long high = counter >>> 32;
        long low = counter & 0xFFFF_FFFFL;
        event.idMsb = (lastMillis << 16) | 0x7000L | high;
        event.idLsb = 0x8000_0000_0000_0000L | (node << 32) | low;
    }
}
