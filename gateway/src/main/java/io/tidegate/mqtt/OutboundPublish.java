package io.tidegate.mqtt;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.tidegate.outbox.MessageProperties;

import java.util.Map;

/**
 * A stored message on its way to local subscribers: one immutable copy shared by all of them.
 * Each subscriber's PUBLISH wraps the same bytes in its own buffer.
 *
 * @param receivedAtMillis when the gateway received it: an MQTT 5 Message Expiry Interval counts from here
 */
record OutboundPublish(String topic, byte[] payload, MessageProperties properties, long receivedAtMillis) {

    static final int[] NO_SUBSCRIPTION_IDS = new int[0];

    /** The identifiers a delivery for one subscription carries: its own, if it has one (0: none). */
    static int[] subscriptionIds(int subscriptionId) {
        return subscriptionId == 0 ? NO_SUBSCRIPTION_IDS : new int[] {subscriptionId};
    }

    /** Received now. */
    OutboundPublish(String topic, byte[] payload, MessageProperties properties) {
        this(topic, payload, properties, System.currentTimeMillis());
    }

    /**
     * Whether its Message Expiry Interval has passed: then it is not sent any more [MQTT-3.3.2-5].
     * Without one it never expires.
     */
    boolean expired(long nowMillis) {
        Long expiry = properties.messageExpirySeconds();
        return expiry != null && remainingSeconds(expiry, nowMillis) <= 0;
    }

    private long remainingSeconds(long expirySeconds, long nowMillis) {
        return expirySeconds - Math.max(0, nowMillis - receivedAtMillis) / 1000;
    }

    /** A plain PUBLISH: RETAIN 0, no DUP, no subscription identifiers, the whole topic. */
    MqttPublishMessage toMessage(int qos, int packetId, MqttVersion version) {
        return toMessage(qos, packetId, version, false, false, NO_SUBSCRIPTION_IDS, topic, 0);
    }

    /**
     * The PUBLISH for one subscriber.
     *
     * @param retain          the RETAIN flag: set for retained messages sent to a new subscription [MQTT-3.3.1-8]
     * @param dup             DUP: a re-delivery of a packet sent on an earlier connection [MQTT-3.3.1-1]
     * @param subscriptionIds MQTT 5 Subscription Identifiers of the matching subscriptions [MQTT-3.3.4-3]
     * @param wireTopic       the topic to write: the topic, or empty when {@code topicAlias} stands for it
     * @param topicAlias      MQTT 5 Topic Alias to send, 0 for none
     */
    MqttPublishMessage toMessage(int qos, int packetId, MqttVersion version, boolean retain, boolean dup,
                                 int[] subscriptionIds, String wireTopic, int topicAlias) {
        MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(qos), retain, 0);
        MqttProperties props = MqttProperties.NO_PROPERTIES;
        if (version == MqttVersion.MQTT_5) {
            props = toMqttProperties(properties, System.currentTimeMillis());
            if (subscriptionIds.length > 0 || topicAlias > 0) {
                if (props == MqttProperties.NO_PROPERTIES) {
                    props = new MqttProperties();
                }
                for (int id : subscriptionIds) {
                    props.add(new MqttProperties.IntegerProperty(
                            MqttProperties.MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value(), id));
                }
                if (topicAlias > 0) {
                    props.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.TOPIC_ALIAS.value(),
                            topicAlias));
                }
            }
        }
        MqttPublishVariableHeader variable = new MqttPublishVariableHeader(wireTopic, qos == 0 ? -1 : packetId, props);
        return new MqttPublishMessage(header, variable, Unpooled.wrappedBuffer(payload));
    }

    /**
     * The largest size of {@link #toMessage} on the wire with these identifiers: with {@code aliased},
     * counted with the whole topic and an alias (the first use of an alias sends both).
     */
    int packetSize(int qos, MqttVersion version, int[] subscriptionIds, boolean aliased) {
        int remaining = 2 + ByteBufUtil.utf8Bytes(topic) + (qos == 0 ? 0 : 2) + payload.length;
        if (version == MqttVersion.MQTT_5) {
            int properties = propertiesBytes(properties());
            for (int id : subscriptionIds) {
                properties += 1 + variableByteIntegerBytes(id);
            }
            if (aliased) {
                properties += 1 + 2;
            }
            remaining += variableByteIntegerBytes(properties) + properties;
        }
        return 1 + variableByteIntegerBytes(remaining) + remaining;
    }

    /** Bytes of what {@link #toMqttProperties} encodes: an identifier byte, then the value, per property. */
    private static int propertiesBytes(MessageProperties p) {
        if (p.isEmpty()) {
            return 0;
        }
        int bytes = 0;
        if (p.payloadFormatUtf8()) {
            bytes += 1 + 1;
        }
        if (p.messageExpirySeconds() != null) {
            bytes += 1 + 4;
        }
        if (p.contentType() != null) {
            bytes += 1 + 2 + ByteBufUtil.utf8Bytes(p.contentType());
        }
        if (p.responseTopic() != null) {
            bytes += 1 + 2 + ByteBufUtil.utf8Bytes(p.responseTopic());
        }
        if (p.correlationData() != null) {
            bytes += 1 + 2 + p.correlationData().length;
        }
        for (Map.Entry<String, String> user : p.userProperties()) {
            bytes += 1 + 2 + ByteBufUtil.utf8Bytes(user.getKey()) + 2 + ByteBufUtil.utf8Bytes(user.getValue());
        }
        return bytes;
    }

    private static int variableByteIntegerBytes(int value) {
        return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
    }

    /** The message's properties, with the Message Expiry Interval lowered by the time it waited [MQTT-3.3.2-6]. */
    private MqttProperties toMqttProperties(MessageProperties p, long nowMillis) {
        if (p.isEmpty()) {
            return MqttProperties.NO_PROPERTIES;
        }
        MqttProperties props = new MqttProperties();
        if (p.payloadFormatUtf8()) {
            props.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value(), 1));
        }
        if (p.messageExpirySeconds() != null) {
            long remaining = Math.max(1, remainingSeconds(p.messageExpirySeconds(), nowMillis));
            props.add(new MqttProperties.IntegerProperty(
                    MqttProperties.MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value(),
                    (int) Math.min(Integer.MAX_VALUE, remaining)));
        }
        if (p.contentType() != null) {
            props.add(new MqttProperties.StringProperty(MqttProperties.MqttPropertyType.CONTENT_TYPE.value(),
                    p.contentType()));
        }
        if (p.responseTopic() != null) {
            props.add(new MqttProperties.StringProperty(MqttProperties.MqttPropertyType.RESPONSE_TOPIC.value(),
                    p.responseTopic()));
        }
        if (p.correlationData() != null) {
            props.add(new MqttProperties.BinaryProperty(MqttProperties.MqttPropertyType.CORRELATION_DATA.value(),
                    p.correlationData()));
        }
        for (Map.Entry<String, String> user : p.userProperties()) {
            props.add(new MqttProperties.UserProperty(user.getKey(), user.getValue()));
        }
        return props;
    }
}
