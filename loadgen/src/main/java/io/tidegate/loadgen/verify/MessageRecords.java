package io.tidegate.loadgen.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.Base64;

/**
 * Finds the device and sequence number in what a destination stored. Understands the gateway's
 * file-sink line ({@code clientId} plus {@code payload} as JSON or {@code payloadBase64}) and a bare
 * load-generator payload ({@code device}, {@code seq}), which is what a forwarder that stores the
 * payload itself writes. {@code fallbackDevice} (a partition key) names the device when the record
 * does not.
 */
public final class MessageRecords {

    private static final ObjectMapper JSON = new ObjectMapper();

    private MessageRecords() {
    }

    public static void recordJson(SequenceLedger ledger, byte[] json, String fallbackDevice) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (IOException e) {
            ledger.recordUnsequenced();
            return;
        }
        record(ledger, node, fallbackDevice);
    }

    public static void record(SequenceLedger ledger, JsonNode record, String fallbackDevice) {
        if (record == null || !record.isObject()) {
            ledger.recordUnsequenced();
            return;
        }
        JsonNode payload = payloadOf(record);
        String device = text(record.get("clientId"));
        if (device == null) {
            device = payload != null ? text(payload.get("device")) : null;
        }
        if (device == null) {
            device = fallbackDevice;
        }
        JsonNode seq = payload == null ? null : payload.get("seq");
        if (device == null || seq == null || !seq.canConvertToLong()) {
            ledger.recordUnsequenced();
            return;
        }
        ledger.record(device, seq.asLong());
    }

    /** The load generator's payload inside a record, or the record itself when it is one. */
    private static JsonNode payloadOf(JsonNode record) {
        JsonNode payload = record.get("payload");
        if (payload != null) {
            if (payload.isTextual()) {
                return parse(payload.asText().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return payload;
        }
        JsonNode base64 = record.get("payloadBase64");
        if (base64 != null && base64.isTextual()) {
            try {
                return parse(Base64.getDecoder().decode(base64.asText()));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return record.has("seq") ? record : null;
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }
}
