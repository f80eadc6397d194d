package io.tidegate.outbox;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesIn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The outbox entry format, little-endian, as laid out by Chronicle {@link Bytes}. Version 2 adds
 * the action settings section; an entry without settings is written as version 1, so the common
 * entry stays readable by builds that know only version 1.
 * <pre>
 *   u8       format version (1 or 2)
 *   u8       flags: bit 0 retain, bit 1 payload is UTF-8 (MQTT 5 indicator), bit 2 has properties,
 *            bit 3 has action settings (version 2)
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
 *   [action settings, when flag bit 3 is set: the rendered settings of the rule action that
 *    produced this entry, e.g. a Kinesis partition key]
 *     stop-bit  count, then pairs of utf8 name, utf8 value
 *   stop-bit length, payload bytes
 * </pre>
 * Readers reject versions they do not know instead of guessing; a new field means a new version.
 *
 * <p>Dead-letter outboxes ({@code <dataDir>/deadletter/<destination>}) use this same format, version
 * 1: an entry a destination rejected for good is kept unchanged, with two MQTT user properties
 * appended after the message's own, {@code tidegate.deadletter.reason} (why) and
 * {@code tidegate.deadletter.destination} (which destination refused it); see
 * {@code io.tidegate.forward.DeadLetters}.
 */
public final class OutboxEntryCodec {

    /** The newest version this build writes and reads; it reads every version from 1 to this. */
    public static final int VERSION = 2;
    private static final int VERSION_WITHOUT_SETTINGS = 1;

    private static final int FLAG_RETAIN = 1;
    private static final int FLAG_UTF8 = 2;
    private static final int FLAG_PROPERTIES = 4;
    private static final int FLAG_SETTINGS = 8;

    private OutboxEntryCodec() {
    }

    /** Writes one entry without action settings; the payload is {@code payload[0..payloadLength)}. */
    public static void write(Bytes<?> out, long idMsb, long idLsb, long ingestTimeMillis, String clientId,
                             String topic, int qos, boolean retain, MessageProperties props,
                             byte[] payload, int payloadLength) {
        write(out, idMsb, idLsb, ingestTimeMillis, clientId, topic, qos, retain, props, List.of(), payload,
                payloadLength);
    }

    /** Writes one entry; {@code settings} are the producing rule action's rendered settings (may be empty). */
    public static void write(Bytes<?> out, long idMsb, long idLsb, long ingestTimeMillis, String clientId,
                             String topic, int qos, boolean retain, MessageProperties props,
                             List<Map.Entry<String, String>> settings, byte[] payload, int payloadLength) {
        boolean hasProps = props != null && !props.isEmpty();
        boolean hasSettings = settings != null && !settings.isEmpty();
        int flags = (retain ? FLAG_RETAIN : 0)
                | (hasProps && props.payloadFormatUtf8() ? FLAG_UTF8 : 0)
                | (hasProps ? FLAG_PROPERTIES : 0)
                | (hasSettings ? FLAG_SETTINGS : 0);
        out.writeUnsignedByte(hasSettings ? VERSION : VERSION_WITHOUT_SETTINGS);
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
        if (hasSettings) {
            writePairs(out, settings);
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
        writePairs(out, props.userProperties());
    }

    private static void writePairs(Bytes<?> out, List<Map.Entry<String, String>> pairs) {
        out.writeStopBit(pairs.size());
        for (Map.Entry<String, String> pair : pairs) {
            out.writeUtf8(pair.getKey());
            out.writeUtf8(pair.getValue());
        }
    }

    private static List<Map.Entry<String, String>> readPairs(BytesIn<?> in) {
        int count = Math.toIntExact(in.readStopBit());
        List<Map.Entry<String, String>> pairs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            pairs.add(Map.entry(in.readUtf8(), in.readUtf8()));
        }
        return pairs;
    }

    private static int checkVersion(int version, long index) {
        if (version < VERSION_WITHOUT_SETTINGS || version > VERSION) {
            throw new UnsupportedEntryFormatException("outbox entry at index " + Long.toHexString(index)
                    + " has format version " + version + "; this gateway reads versions 1 to " + VERSION);
        }
        return version;
    }

    /** Reads one entry written by {@link #write}; {@code index} is the entry's queue index. */
    public static OutboxEntry read(BytesIn<?> in, long index) {
        long start = in.readPosition();
        checkVersion(in.readUnsignedByte(), index);
        int flags = in.readUnsignedByte();
        int qos = in.readUnsignedByte();
        UUID id = new UUID(in.readLong(), in.readLong());
        long ingest = in.readLong();
        String clientId = in.readUtf8();
        String topic = in.readUtf8();
        MessageProperties props = (flags & FLAG_PROPERTIES) != 0
                ? readProperties(in, (flags & FLAG_UTF8) != 0)
                : MessageProperties.NONE;
        List<Map.Entry<String, String>> settings = (flags & FLAG_SETTINGS) != 0 ? readPairs(in) : List.of();
        int length = Math.toIntExact(in.readStopBit());
        byte[] payload = new byte[length];
        in.read(payload);
        long encodedBytes = in.readPosition() - start;
        return new OutboxEntry(index, id, ingest, clientId, topic, qos, (flags & FLAG_RETAIN) != 0, props, payload,
                encodedBytes, settings);
    }

    /** Reads only the ingest time of an entry positioned at its start. */
    static long readIngestTime(BytesIn<?> in) {
        checkVersion(in.readUnsignedByte(), -1);
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
        return new MessageProperties(utf8, expiry == 0 ? null : expiry - 1, contentType, responseTopic,
                correlation, readPairs(in));
    }
}
