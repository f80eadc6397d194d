package io.tidegate.rules.sql;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable {@link RuleInput} for tools and tests ({@code tidegate rules eval}). The hot path
 * uses a reusable adapter instead.
 */
public record RuleMessage(String topic, String clientId, String principal, long timestampMillis, int qos,
                          byte[] payload, boolean payloadFormatUtf8, String contentType, String responseTopic,
                          byte[] correlationData, List<Map.Entry<String, String>> userProperties)
        implements RuleInput {

    public RuleMessage {
        Objects.requireNonNull(topic, "topic");
        payload = payload == null ? new byte[0] : payload;
        userProperties = userProperties == null ? List.of() : List.copyOf(userProperties);
    }

    /** A message without MQTT 5 properties. */
    public static RuleMessage of(String topic, String clientId, String payload) {
        return new RuleMessage(topic, clientId, null, System.currentTimeMillis(), 0,
                payload.getBytes(StandardCharsets.UTF_8), false, null, null, null, List.of());
    }

    @Override
    public int payloadOffset() {
        return 0;
    }

    @Override
    public int payloadLength() {
        return payload.length;
    }
}
