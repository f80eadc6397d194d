package io.tidegate.forward.file;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.tidegate.outbox.MessageProperties;
import io.tidegate.outbox.OutboxEntry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * One JSON object per message:
 * {@code {"id","ts","clientId","topic","qos","retain"?,"payload"|"payloadBase64","properties"?}}.
 * {@code payload} holds the payload as a JSON value when it is one complete JSON document,
 * otherwise {@code payloadBase64} holds the bytes. {@code ts} is the ingest time in ISO-8601 UTC.
 */
final class JsonLineEncoder {

    private final JsonFactory json = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);

    ByteBuffer encode(List<OutboxEntry> batch) {
        buffer.reset();
        try (JsonGenerator out = json.createGenerator(buffer)) {
            out.setRootValueSeparator(null);
            for (OutboxEntry entry : batch) {
                writeEntry(out, entry);
                out.flush();
                buffer.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ByteBuffer.wrap(buffer.toByteArray());
    }

    private void writeEntry(JsonGenerator out, OutboxEntry e) throws IOException {
        out.writeStartObject();
        out.writeStringField("id", e.messageId().toString());
        out.writeStringField("ts", Instant.ofEpochMilli(e.ingestTimeMillis()).toString());
        out.writeStringField("clientId", e.clientId());
        out.writeStringField("topic", e.topic());
        out.writeNumberField("qos", e.qos());
        if (e.retain()) {
            out.writeBooleanField("retain", true);
        }
        if (isJsonDocument(e.payload())) {
            out.writeFieldName("payload");
            writeJsonPayload(out, e.payload());
        } else {
            out.writeStringField("payloadBase64", Base64.getEncoder().encodeToString(e.payload()));
        }
        if (!e.properties().isEmpty()) {
            writeProperties(out, e.properties());
        }
        out.writeEndObject();
    }

    /**
     * Embeds the payload as it is (exact numbers and spacing) unless it spans lines, which would
     * break the one-message-a-line format: then it is re-written compactly.
     */
    private void writeJsonPayload(JsonGenerator out, byte[] payload) throws IOException {
        if (!containsLineBreak(payload)) {
            out.writeRawValue(new String(payload, StandardCharsets.UTF_8));
            return;
        }
        try (JsonParser parser = json.createParser(payload)) {
            parser.nextToken();
            out.copyCurrentStructure(parser);
        }
    }

    private static boolean containsLineBreak(byte[] bytes) {
        for (byte b : bytes) {
            if (b == '\n' || b == '\r') {
                return true;
            }
        }
        return false;
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

    /** True when the bytes are exactly one JSON value (objects, arrays, strings, numbers, literals). */
    boolean isJsonDocument(byte[] payload) {
        if (payload.length == 0) {
            return false;
        }
        try (JsonParser parser = json.createParser(payload)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}
