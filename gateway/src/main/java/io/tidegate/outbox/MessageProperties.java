package io.tidegate.outbox;

import java.util.List;
import java.util.Map;

/**
 * The MQTT 5 publish properties worth keeping with a message. Absent values are {@code null} (or an
 * empty list); most messages carry none, so a single shared {@link #NONE} instance is used for them.
 *
 * @param payloadFormatUtf8       MQTT 5 Payload Format Indicator = 1
 * @param messageExpirySeconds    Message Expiry Interval, {@code null} when the message does not expire
 * @param contentType             Content Type
 * @param responseTopic           Response Topic
 * @param correlationData         Correlation Data
 * @param userProperties          User Properties in the order the client sent them
 */
public record MessageProperties(boolean payloadFormatUtf8, Long messageExpirySeconds, String contentType,
                                String responseTopic, byte[] correlationData,
                                List<Map.Entry<String, String>> userProperties) {

    public static final MessageProperties NONE = new MessageProperties(false, null, null, null, null, List.of());

    public MessageProperties {
        userProperties = userProperties == null ? List.of() : List.copyOf(userProperties);
    }

    public boolean isEmpty() {
        return !payloadFormatUtf8 && messageExpirySeconds == null && contentType == null && responseTopic == null
                && correlationData == null && userProperties.isEmpty();
    }
}
