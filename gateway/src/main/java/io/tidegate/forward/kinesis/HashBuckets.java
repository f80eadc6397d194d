package io.tidegate.forward.kinesis;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Splits Kinesis's 128-bit hash key space (the MD5 of a partition key) into {@code count} equal
 * slices. Aggregating by slice instead of by partition key packs many devices into one record; a
 * slice's record is routed by the slice's middle hash key, so a device (always in the same slice)
 * always lands on the same shard. With as many slices as the stream has shards, split evenly,
 * every message lands on the very shard its own key maps to, as with the KPL. Not thread-safe: one
 * per forwarder.
 */
final class HashBuckets {

    private static final BigInteger SPACE = BigInteger.ONE.shiftLeft(128);

    private final int count;
    private final String[] middles;
    private final MessageDigest md5;

    HashBuckets(int count) {
        this.count = count;
        this.middles = new String[count];
        for (int b = 0; b < count; b++) {
            middles[b] = SPACE.multiply(BigInteger.valueOf(2L * b + 1)).divide(BigInteger.valueOf(2L * count)).toString();
        }
        try {
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }

    /** The slice of {@code partitionKey}'s hash key: floor(hash × count / 2^128), from its top 64 bits. */
    int of(String partitionKey) {
        byte[] digest = md5.digest(partitionKey.getBytes(StandardCharsets.UTF_8));
        long top = 0;
        for (int i = 0; i < 8; i++) {
            top = top << 8 | (digest[i] & 0xFF);
        }
        // Unsigned high half of top × count (Math.unsignedMultiplyHigh is Java 18+).
        return (int) (Math.multiplyHigh(top, count) + ((top >> 63) & count));
    }

    /** The decimal hash key in the middle of slice {@code bucket}: the explicit hash key of its records. */
    String hashKey(int bucket) {
        return middles[bucket];
    }

    int count() {
        return count;
    }
}
