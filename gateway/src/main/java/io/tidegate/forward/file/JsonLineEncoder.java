package io.tidegate.forward.file;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.tidegate.outbox.MessageProperties;
import io.tidegate.outbox.OutboxEntry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One JSON object per message:
 * {@code {"id","ts","clientId","topic","qos","retain"?,"payload"|"payloadBase64","action"?,"properties"?}};
 * {@code action} holds the settings of the rule action that routed the message, when it has any.
 * {@code payload} holds the payload as a JSON value when it is one complete JSON document in UTF-8
 * (line breaks between its tokens become spaces), otherwise {@code payloadBase64} holds the bytes.
 * {@code ts} is the ingest time in ISO-8601 UTC. {@link #line(OutboxEntry)} (the {@code outbox dump}
 * command) puts the entry's queue {@code index} first.
 *
 * <p>The file sink encodes every message here, so the payload goes from bytes to bytes (checked,
 * not decoded) and the id and time are written from reusable buffers: before, this class made
 * about 80% of the gateway's garbage (JFR allocation samples), and with it the young GCs.
 */
public final class JsonLineEncoder {

    private final JsonFactory json = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private final LineBuffer buffer = new LineBuffer();
    private final char[] id = new char[36];
    private final IsoInstantText ts = new IsoInstantText();
    private final RawJsonValue rawPayload = new RawJsonValue();

    /** A ByteArrayOutputStream whose bytes are read in place instead of copied out. */
    private static final class LineBuffer extends ByteArrayOutputStream {
        LineBuffer() {
            super(64 * 1024);
        }

        ByteBuffer contents() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }

    /** One entry as a JSON object with its outbox {@code index} first, without the line break. */
    public String line(OutboxEntry entry) {
        buffer.reset();
        try (JsonGenerator out = json.createGenerator(buffer)) {
            writeEntry(out, entry, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    /** The batch as lines; the buffer is valid until the next call. */
    ByteBuffer encode(List<OutboxEntry> batch) {
        buffer.reset();
        try (JsonGenerator out = json.createGenerator(buffer)) {
            out.setRootValueSeparator(null);
            for (OutboxEntry entry : batch) {
                writeEntry(out, entry, false);
                out.flush();
                buffer.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.contents();
    }

    private void writeEntry(JsonGenerator out, OutboxEntry e, boolean withIndex) throws IOException {
        out.writeStartObject();
        if (withIndex) {
            out.writeNumberField("index", e.index());
        }
        out.writeFieldName("id");
        out.writeString(id, 0, uuidText(e.messageId(), id));
        out.writeFieldName("ts");
        ts.writeString(out, e.ingestTimeMillis());
        out.writeStringField("clientId", e.clientId());
        out.writeStringField("topic", e.topic());
        out.writeNumberField("qos", e.qos());
        if (e.retain()) {
            out.writeBooleanField("retain", true);
        }
        if (isOneJsonValue(e.payload())) {
            out.writeFieldName("payload");
            out.writeRawValue(rawPayload.of(e.payload()));
        } else {
            out.writeStringField("payloadBase64", Base64.getEncoder().encodeToString(e.payload()));
        }
        if (!e.actionSettings().isEmpty()) {
            out.writeObjectFieldStart("action");
            for (Map.Entry<String, String> setting : e.actionSettings()) {
                out.writeStringField(setting.getKey(), setting.getValue());
            }
            out.writeEndObject();
        }
        if (!e.properties().isEmpty()) {
            writeProperties(out, e.properties());
        }
        out.writeEndObject();
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** {@code UUID.toString()} into {@code out}; returns its length. */
    static int uuidText(UUID uuid, char[] out) {
        long msb = uuid.getMostSignificantBits();
        long lsb = uuid.getLeastSignificantBits();
        hex(msb >>> 32, 8, out, 0);
        out[8] = '-';
        hex(msb >>> 16, 4, out, 9);
        out[13] = '-';
        hex(msb, 4, out, 14);
        out[18] = '-';
        hex(lsb >>> 48, 4, out, 19);
        out[23] = '-';
        hex(lsb, 12, out, 24);
        return 36;
    }

    private static void hex(long value, int digits, char[] out, int at) {
        for (int i = at + digits - 1; i >= at; i--) {
            out[i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
    }

    private void writeProperties(JsonGenerator out, MessageProperties p) throws IOException {
        out.writeObjectFieldStart("properties");
        if (p.payloadFormatUtf8()) {
            out.writeNumberField("payloadFormatIndicator", 1);
        }
        if (p.messageExpirySeconds() != null) {
            out.writeNumberField("messageExpiryInterval", p.messageExpirySeconds());
        }
        if (p.contentType() != null) {
            out.writeStringField("contentType", p.contentType());
        }
        if (p.responseTopic() != null) {
            out.writeStringField("responseTopic", p.responseTopic());
        }
        if (p.correlationData() != null) {
            out.writeStringField("correlationDataBase64", Base64.getEncoder().encodeToString(p.correlationData()));
        }
        if (!p.userProperties().isEmpty()) {
            // An array of pairs: MQTT allows repeated names and their order matters.
            out.writeArrayFieldStart("userProperties");
            for (Map.Entry<String, String> up : p.userProperties()) {
                out.writeStartArray();
                out.writeString(up.getKey());
                out.writeString(up.getValue());
                out.writeEndArray();
            }
            out.writeEndArray();
        }
        out.writeEndObject();
    }

    /**
     * Whether the payload is exactly one JSON value (object, array, string, number, literal) in
     * plain UTF-8, so it can be embedded as it is; otherwise its bytes go as Base64. UTF-8 is
     * checked first ({@link PlainUtf8}): Jackson would also accept a byte order mark, UTF-16 or
     * UTF-32, none of which survives being embedded in a UTF-8 line. Duplicate names are refused.
     */
    boolean isOneJsonValue(byte[] payload) {
        if (payload.length == 0 || !PlainUtf8.check(payload)) {
            return false;
        }
        try (JsonParser parser = json.createParser(payload)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}
