package io.tidegate.outbox;

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
 */
public record OutboxEntry(long index, UUID messageId, long ingestTimeMillis, String clientId, String topic, int qos,
                          boolean retain, MessageProperties properties, byte[] payload, long encodedBytes) {
}
