package io.tidegate.forward.kinesis;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Kinesis record carrying many messages in the KPL aggregation format, readable by the KCL:
 * magic {@code F3 89 9A C2}, then the protobuf {@code AggregatedRecord}, then the MD5 of the
 * protobuf bytes. Each message keeps its own partition key (the key table has one entry per
 * distinct key). When the record groups several keys it also carries an explicit hash key, given
 * to every message too: the KCL drops a de-aggregated message whose hash key falls outside the
 * shard it was read from, and this way each message's hash key is the one that routed the record.
 * The protobuf is written by hand:
 * <pre>
 *   message AggregatedRecord { repeated string partition_key_table = 1; repeated string explicit_hash_key_table = 2;
 *                              repeated Record records = 3; }
 *   message Record { required uint64 partition_key_index = 1; optional uint64 explicit_hash_key_index = 2;
 *                    required bytes data = 3; }
 * </pre>
 */
final class AggregatedRecord {

    static final byte[] MAGIC = {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2};
    private static final int MD5_BYTES = 16;
    private static final int TAG_PARTITION_KEY_TABLE = 1 << 3 | 2;
    private static final int TAG_EXPLICIT_HASH_KEY_TABLE = 2 << 3 | 2;
    private static final int TAG_RECORDS = 3 << 3 | 2;
    private static final int TAG_PARTITION_KEY_INDEX = 1 << 3;
    private static final int TAG_EXPLICIT_HASH_KEY_INDEX = 2 << 3;
    private static final int TAG_DATA = 3 << 3 | 2;

    private final String explicitHashKey;
    private final Map<String, Integer> keyIndex = new LinkedHashMap<>();
    private final List<byte[]> payloads = new ArrayList<>();
    private final List<Integer> payloadKeys = new ArrayList<>();
    private int protobufBytes;

    /** @param explicitHashKey the hash key routing the record (a decimal 128-bit number), or null for its first key's */
    AggregatedRecord(String explicitHashKey) {
        this.explicitHashKey = explicitHashKey;
        if (explicitHashKey != null) {
            protobufBytes += tableEntryBytes(explicitHashKey.length());
        }
    }

    /** Bytes one more message of {@code payloadBytes} adds to a record, its key already in the table. */
    static int growthFor(int payloadBytes) {
        return growthFor(0, false, payloadBytes);
    }

    private static int growthFor(int keyIndex, boolean explicitHashKey, int payloadBytes) {
        int inner = 1 + varintSize(keyIndex) + (explicitHashKey ? 2 : 0) + 1 + varintSize(payloadBytes) + payloadBytes;
        return 1 + varintSize(inner) + inner;
    }

    /** Bytes a record holding one key of {@code keyBytes} takes, before any message. */
    static int overheadFor(int keyBytes) {
        return MAGIC.length + MD5_BYTES + tableEntryBytes(keyBytes);
    }

    private static int tableEntryBytes(int bytes) {
        return 1 + varintSize(bytes) + bytes;
    }

    /** The first message's key: the record's own partition key. */
    String partitionKey() {
        return keyIndex.keySet().iterator().next();
    }

    String explicitHashKey() {
        return explicitHashKey;
    }

    int count() {
        return payloads.size();
    }

    /** The encoded size with one more message of {@code payloadBytes} under {@code key}. */
    int sizeWith(String key, int payloadBytes) {
        Integer index = keyIndex.get(key);
        int growth = index == null
                ? tableEntryBytes(utf8Length(key)) + growthFor(keyIndex.size(), explicitHashKey != null, payloadBytes)
                : growthFor(index, explicitHashKey != null, payloadBytes);
        return size() + growth;
    }

    int size() {
        return MAGIC.length + protobufBytes + MD5_BYTES;
    }

    void add(String key, byte[] payload) {
        Integer index = keyIndex.get(key);
        if (index == null) {
            index = keyIndex.size();
            keyIndex.put(key, index);
            protobufBytes += tableEntryBytes(utf8Length(key));
        }
        payloads.add(payload);
        payloadKeys.add(index);
        protobufBytes += growthFor(index, explicitHashKey != null, payload.length);
    }

    byte[] encode() {
        ByteArrayOutputStream protobuf = new ByteArrayOutputStream(protobufBytes);
        for (String key : keyIndex.keySet()) {
            writeString(protobuf, TAG_PARTITION_KEY_TABLE, key);
        }
        if (explicitHashKey != null) {
            writeString(protobuf, TAG_EXPLICIT_HASH_KEY_TABLE, explicitHashKey);
        }
        for (int i = 0; i < payloads.size(); i++) {
            byte[] payload = payloads.get(i);
            int index = payloadKeys.get(i);
            protobuf.write(TAG_RECORDS);
            writeVarint(protobuf, 1 + varintSize(index) + (explicitHashKey != null ? 2 : 0) + 1
                    + varintSize(payload.length) + payload.length);
            protobuf.write(TAG_PARTITION_KEY_INDEX);
            writeVarint(protobuf, index);
            if (explicitHashKey != null) {
                protobuf.write(TAG_EXPLICIT_HASH_KEY_INDEX);
                protobuf.write(0);
            }
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

    private static void writeString(ByteArrayOutputStream out, int tag, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.write(tag);
        writeVarint(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static int utf8Length(String value) {
        return value.getBytes(StandardCharsets.UTF_8).length;
    }

    static byte[] md5(byte[] bytes) {
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
