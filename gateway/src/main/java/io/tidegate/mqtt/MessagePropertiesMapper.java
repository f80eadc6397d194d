package io.tidegate.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.tidegate.outbox.MessageProperties;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the MQTT 5 publish properties worth keeping from a decoded packet. */
final class MessagePropertiesMapper {

    private MessagePropertiesMapper() {
    }

    static MessageProperties fromMqtt(MqttProperties props) {
        if (props == null || props.isEmpty()) {
            return MessageProperties.NONE;
        }
        Integer format = intValue(props, MqttProperties.MqttPropertyType.PAYLOAD_FORMAT_INDICATOR);
        boolean utf8 = format != null && format == 1;
        Integer expiry = intValue(props, MqttProperties.MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL);
        String contentType = stringValue(props, MqttProperties.MqttPropertyType.CONTENT_TYPE);
        String responseTopic = stringValue(props, MqttProperties.MqttPropertyType.RESPONSE_TOPIC);
        MqttProperties.MqttProperty<?> correlation =
                props.getProperty(MqttProperties.MqttPropertyType.CORRELATION_DATA.value());
        byte[] correlationData = correlation == null ? null : (byte[]) correlation.value();
        List<Map.Entry<String, String>> user = new ArrayList<>();
        for (MqttProperties.MqttProperty<?> p : props.getProperties(MqttProperties.MqttPropertyType.USER_PROPERTY.value())) {
            if (p instanceof MqttProperties.UserProperty up) {
                user.add(Map.entry(up.value().key, up.value().value));
            } else if (p instanceof MqttProperties.UserProperties ups) {
                for (MqttProperties.StringPair pair : ups.value()) {
                    user.add(Map.entry(pair.key, pair.value));
                }
            }
        }
        MessageProperties mapped = new MessageProperties(utf8, expiry == null ? null : Integer.toUnsignedLong(expiry),
                contentType, responseTopic, correlationData, user);
        return mapped.isEmpty() ? MessageProperties.NONE : mapped;
    }

    private static Integer intValue(MqttProperties props, MqttProperties.MqttPropertyType type) {
        MqttProperties.MqttProperty<?> p = props.getProperty(type.value());
        return p == null ? null : (Integer) p.value();
    }

    private static String stringValue(MqttProperties props, MqttProperties.MqttPropertyType type) {
        MqttProperties.MqttProperty<?> p = props.getProperty(type.value());
        return p == null ? null : (String) p.value();
    }
}
