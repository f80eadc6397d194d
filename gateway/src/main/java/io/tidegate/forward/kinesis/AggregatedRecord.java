package io.tidegate.forward.kinesis;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * One Kinesis record carrying many messages in the KPL aggregation format, readable by the KCL:
 * magic {@code F3 89 9A C2}, then the protobuf {@code AggregatedRecord}, then the MD5 of the
 * protobuf bytes. All messages of one aggregated record share its partition key (the KPL's
 * {@code partition_key_table} then has one entry), so a device's messages stay on one shard and,
 * on a partial failure, are retried together. The protobuf is written by hand: three fields.
 * <pre>
 *   message AggregatedRecord { repeated string partition_key_table = 1; repeated Record records = 3; }
 *   message Record { required uint64 partition_key_index = 1; required bytes data = 3; }
 * </pre>
 */
final class AggregatedRecord {

    static final byte[] MAGIC = {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2};
    private static final int MD5_BYTES = 16;
    private static final int TAG_PARTITION_KEY_TABLE = 1 << 3 | 2;
    private static final int TAG_RECORDS = 3 << 3 | 2;
    private static final int TAG_PARTITION_KEY_INDEX = 1 << 3;
    private static final int TAG_DATA = 3 << 3 | 2;

    private final String partitionKey;
    private final byte[] keyBytes;
    private final List<byte[]> payloads = new ArrayList<>();
    private int protobufBytes;

    AggregatedRecord(String partitionKey) {
        this.partitionKey = partitionKey;
        this.keyBytes = partitionKey.getBytes(StandardCharsets.UTF_8);
        this.protobufBytes = 1 + varintSize(keyBytes.length) + keyBytes.length;
    }

    /** Bytes one more message of {@code payloadBytes} adds to the record. */
    static int growthFor(int payloadBytes) {
        int inner = 2 + 1 + varintSize(payloadBytes) + payloadBytes;
        return 1 + varintSize(inner) + inner;
    }

    /** Bytes a record holding only its key takes, before any message. */
    static int overheadFor(int keyBytes) {
        return MAGIC.length + MD5_BYTES + 1 + varintSize(keyBytes) + keyBytes;
    }

    String partitionKey() {
        return partitionKey;
    }

    int count() {
        return payloads.size();
    }

    /** The encoded size with one more message of {@code payloadBytes}. */
    int sizeWith(int payloadBytes) {
        return size() + growthFor(payloadBytes);
    }

    int size() {
        return MAGIC.length + protobufBytes + MD5_BYTES;
    }

    void add(byte[] payload) {
        payloads.add(payload);
        protobufBytes += growthFor(payload.length);
    }

    byte[] encode() {
        ByteArrayOutputStream protobuf = new ByteArrayOutputStream(protobufBytes);
        protobuf.write(TAG_PARTITION_KEY_TABLE);
        writeVarint(protobuf, keyBytes.length);
        protobuf.writeBytes(keyBytes);
        for (byte[] payload : payloads) {
            protobuf.write(TAG_RECORDS);
            writeVarint(protobuf, 2 + 1 + varintSize(payload.length) + payload.length);
            protobuf.write(TAG_PARTITION_KEY_INDEX);
            protobuf.write(0);
            protobuf.write(TAG_DATA);
            writeVarint(protobuf, payload.length);
            protobuf.writeBytes(payload);
        }
        byte[] body = protobuf.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream(size());
        out.writeBytes(MAGIC);
        out.writeBytes(body);
        out.writeBytes(md5(body));
        return out.toByteArray();
    }

    private static byte[] md5(byte[] bytes) {
        try {
            return MessageDigest.getInstance("MD5").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }

    static int varintSize(long value) {
        int size = 1;
        while ((value & ~0x7FL) != 0) {
            size++;
            value >>>= 7;
        }
        return size;
    }
}
