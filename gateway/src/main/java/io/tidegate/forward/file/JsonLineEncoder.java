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
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * One JSON object per message:
 * {@code {"id","ts","clientId","topic","qos","retain"?,"payload"|"payloadBase64","action"?,"properties"?}};
 * {@code action} holds the settings of the rule action that routed the message, when it has any.
 * {@code payload} holds the payload as a JSON value when it is one complete JSON document in UTF-8
 * (line breaks between its tokens become spaces), otherwise {@code payloadBase64} holds the bytes.
 * {@code ts} is the ingest time in ISO-8601 UTC. {@link #line(OutboxEntry)} (the {@code outbox dump}
 * command) puts the entry's queue {@code index} first.
 */
public final class JsonLineEncoder {

    private final JsonFactory json = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

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
        return ByteBuffer.wrap(buffer.toByteArray());
    }

    private void writeEntry(JsonGenerator out, OutboxEntry e, boolean withIndex) throws IOException {
        out.writeStartObject();
        if (withIndex) {
            out.writeNumberField("index", e.index());
        }
        out.writeStringField("id", e.messageId().toString());
        out.writeStringField("ts", Instant.ofEpochMilli(e.ingestTimeMillis()).toString());
        out.writeStringField("clientId", e.clientId());
        out.writeStringField("topic", e.topic());
        out.writeNumberField("qos", e.qos());
        if (e.retain()) {
            out.writeBooleanField("retain", true);
        }
        String jsonPayload = jsonText(e.payload());
        if (jsonPayload != null) {
            out.writeFieldName("payload");
            out.writeRawValue(onOneLine(jsonPayload));
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

    /**
     * JSON does not allow line breaks inside strings, so elsewhere they are only whitespace: turned
     * into spaces they keep the value exactly (numbers and all) on one line.
     */
    private static String onOneLine(String json) {
        if (json.indexOf('\n') < 0 && json.indexOf('\r') < 0) {
            return json;
        }
        return json.replace('\r', ' ').replace('\n', ' ');
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
     * The payload as text when it is exactly one JSON value (object, array, string, number, literal)
     * in plain UTF-8, so it can be embedded as it is; otherwise null and the bytes go as Base64. The
     * check runs on the strictly decoded text itself: Jackson would also accept a byte order mark,
     * UTF-16 or UTF-32, none of which survives being embedded in a UTF-8 line.
     */
    String jsonText(byte[] payload) {
        if (payload.length == 0) {
            return null;
        }
        String text;
        try {
            text = utf8.decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        if (text.charAt(0) == '\uFEFF') {
            return null;
        }
        try (JsonParser parser = json.createParser(text)) {
            if (parser.nextToken() == null) {
                return null;
            }
            parser.skipChildren();
            return parser.nextToken() == null ? text : null;
        } catch (IOException e) {
            return null;
        }
    }
}
