package io.tidegate.outbox;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesIn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The outbox entry format. Version 1, little-endian, as laid out by Chronicle {@link Bytes}:
 * <pre>
 *   u8       format version (1)
 *   u8       flags: bit 0 retain, bit 1 payload is UTF-8 (MQTT 5 indicator), bit 2 has properties
 *   u8       qos
 *   i64,i64  message id (UUID most, least significant bits)
 *   i64      ingest time, epoch millis
 *   utf8     client id            (stop-bit length prefixed)
 *   utf8     topic                (stop-bit length prefixed)
 *   [properties, when flag bit 2 is set]
 *     stop-bit  message expiry seconds + 1 (0 = none)
 *     utf8      content type      (null allowed)
 *     utf8      response topic    (null allowed)
 *     stop-bit  correlation data length + 1 (0 = none), then the bytes
 *     stop-bit  user property count, then pairs of utf8 name, utf8 value
 *   stop-bit length, payload bytes
 * </pre>
 * Readers reject versions they do not know instead of guessing; a new field means a new version.
 */
public final class OutboxEntryCodec {

    public static final int VERSION = 1;

    private static final int FLAG_RETAIN = 1;
    private static final int FLAG_UTF8 = 2;
    private static final int FLAG_PROPERTIES = 4;

    private OutboxEntryCodec() {
    }

    /** Writes one entry; the payload is {@code payload[0..payloadLength)}. */
    public static void write(Bytes<?> out, long idMsb, long idLsb, long ingestTimeMillis, String clientId,
                             String topic, int qos, boolean retain, MessageProperties props,
                             byte[] payload, int payloadLength) {
        boolean hasProps = props != null && !props.isEmpty();
        int flags = (retain ? FLAG_RETAIN : 0)
                | (hasProps && props.payloadFormatUtf8() ? FLAG_UTF8 : 0)
                | (hasProps ? FLAG_PROPERTIES : 0);
        out.writeUnsignedByte(VERSION);
        out.writeUnsignedByte(flags);
        out.writeUnsignedByte(qos);
        out.writeLong(idMsb);
        out.writeLong(idLsb);
        out.writeLong(ingestTimeMillis);
        out.writeUtf8(clientId);
        out.writeUtf8(topic);
        if (hasProps) {
            writeProperties(out, props);
        }
        out.writeStopBit(payloadLength);
        out.write(payload, 0, payloadLength);
    }

    private static void writeProperties(Bytes<?> out, MessageProperties props) {
        out.writeStopBit(props.messageExpirySeconds() == null ? 0 : props.messageExpirySeconds() + 1);
        out.writeUtf8(props.contentType());
        out.writeUtf8(props.responseTopic());
        byte[] correlation = props.correlationData();
        out.writeStopBit(correlation == null ? 0 : correlation.length + 1L);
        if (correlation != null) {
            out.write(correlation);
        }
        out.writeStopBit(props.userProperties().size());
        for (Map.Entry<String, String> p : props.userProperties()) {
            out.writeUtf8(p.getKey());
            out.writeUtf8(p.getValue());
        }
    }

    /** Reads one entry written by {@link #write}; {@code index} is the entry's queue index. */
    public static OutboxEntry read(BytesIn<?> in, long index) {
        long start = in.readPosition();
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new CorruptEntryException("outbox entry at index " + Long.toHexString(index)
                    + " has format version " + version + "; this gateway reads version " + VERSION);
        }
        int flags = in.readUnsignedByte();
        int qos = in.readUnsignedByte();
        UUID id = new UUID(in.readLong(), in.readLong());
        long ingest = in.readLong();
        String clientId = in.readUtf8();
        String topic = in.readUtf8();
        MessageProperties props = (flags & FLAG_PROPERTIES) != 0
                ? readProperties(in, (flags & FLAG_UTF8) != 0)
                : MessageProperties.NONE;
        int length = Math.toIntExact(in.readStopBit());
        byte[] payload = new byte[length];
        in.read(payload);
        long encodedBytes = in.readPosition() - start;
        return new OutboxEntry(index, id, ingest, clientId, topic, qos, (flags & FLAG_RETAIN) != 0, props, payload,
                encodedBytes);
    }

    /** Reads only the ingest time of an entry positioned at its start. */
    static long readIngestTime(BytesIn<?> in) {
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new CorruptEntryException("outbox entry has format version " + version);
        }
        in.readSkip(2 + 16);
        return in.readLong();
    }

    private static MessageProperties readProperties(BytesIn<?> in, boolean utf8) {
        long expiry = in.readStopBit();
        String contentType = in.readUtf8();
        String responseTopic = in.readUtf8();
        long correlationLength = in.readStopBit();
        byte[] correlation = null;
        if (correlationLength > 0) {
            correlation = new byte[Math.toIntExact(correlationLength - 1)];
            in.read(correlation);
        }
        int count = Math.toIntExact(in.readStopBit());
        List<Map.Entry<String, String>> user = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            user.add(Map.entry(in.readUtf8(), in.readUtf8()));
        }
        return new MessageProperties(utf8, expiry == 0 ? null : expiry - 1, contentType, responseTopic,
                correlation, user);
    }
}
