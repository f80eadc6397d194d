package io.tidegate.outbox;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One message as read back from an outbox. Written by the pipeline's persist stage through
 * {@link OutboxEntryCodec}; read by forwarders and the {@code outbox} CLI.
 *
 * @param index           the Chronicle index of the entry in its queue (its position)
 * @param messageId       stable id, the same in every destination, so consumers can de-duplicate
 * @param ingestTimeMillis when the gateway accepted the message (epoch millis)
 * @param clientId        MQTT client id of the publisher
 * @param topic           MQTT topic
 * @param qos             QoS the device published with
 * @param retain          the RETAIN flag
 * @param properties      MQTT 5 properties kept with the message
 * @param payload         the payload bytes
 * @param encodedBytes    size of the entry in the queue, for backlog accounting
 * @param actionSettings  the rendered settings of the rule action that produced the entry (e.g. a
 *                        Kinesis {@code partitionKey}), in configuration order; empty when none
 */
public record OutboxEntry(long index, UUID messageId, long ingestTimeMillis, String clientId, String topic, int qos,
                          boolean retain, MessageProperties properties, byte[] payload, long encodedBytes,
                          List<Map.Entry<String, String>> actionSettings) {

    public OutboxEntry {
        actionSettings = actionSettings == null ? List.of() : List.copyOf(actionSettings);
    }

    /** An entry without action settings. */
    public OutboxEntry(long index, UUID messageId, long ingestTimeMillis, String clientId, String topic, int qos,
                       boolean retain, MessageProperties properties, byte[] payload, long encodedBytes) {
        this(index, messageId, ingestTimeMillis, clientId, topic, qos, retain, properties, payload, encodedBytes,
                List.of());
    }

    /** The value of the action setting {@code name}, or null. */
    public String actionSetting(String name) {
        for (Map.Entry<String, String> setting : actionSettings) {
            if (setting.getKey().equals(name)) {
                return setting.getValue();
            }
        }
        return null;
    }
}
