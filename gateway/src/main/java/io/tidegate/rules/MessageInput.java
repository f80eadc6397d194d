package io.tidegate.rules;

import io.tidegate.outbox.MessageProperties;
import io.tidegate.rules.sql.RuleInput;

import java.util.List;
import java.util.Map;

/**
 * A reusable {@link RuleInput} for the route stage: {@link #set} it from the ring event, route,
 * repeat. Holds references only (no copies), so the event must not change while it is routed.
 */
public final class MessageInput implements RuleInput {

    private String topic;
    private String clientId;
    private String principal;
    private long timestampMillis;
    private int qos;
    private byte[] payload;
    private int payloadOffset;
    private int payloadLength;
    private MessageProperties properties = MessageProperties.NONE;

    /**
     * @param principal  the client's authenticated identity, or {@code null}
     * @param properties MQTT 5 properties, or {@code null} for none
     */
    public MessageInput set(String topic, String clientId, String principal, long timestampMillis, int qos,
                            byte[] payload, int payloadOffset, int payloadLength, MessageProperties properties) {
        this.topic = topic;
        this.clientId = clientId;
        this.principal = principal;
        this.timestampMillis = timestampMillis;
        this.qos = qos;
        this.payload = payload;
        this.payloadOffset = payloadOffset;
        this.payloadLength = payloadLength;
        this.properties = properties == null ? MessageProperties.NONE : properties;
        return this;
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public String principal() {
        return principal;
    }

    @Override
    public long timestampMillis() {
        return timestampMillis;
    }

    @Override
    public int qos() {
        return qos;
    }

    @Override
    public byte[] payload() {
        return payload;
    }

    @Override
    public int payloadOffset() {
        return payloadOffset;
    }

    @Override
    public int payloadLength() {
        return payloadLength;
    }

    @Override
    public boolean payloadFormatUtf8() {
        return properties.payloadFormatUtf8();
    }

    @Override
    public String contentType() {
        return properties.contentType();
    }

    @Override
    public String responseTopic() {
        return properties.responseTopic();
    }

    @Override
    public byte[] correlationData() {
        return properties.correlationData();
    }

    @Override
    public List<Map.Entry<String, String>> userProperties() {
        return properties.userProperties();
    }
}
