package io.tidegate.pipeline;

/**
 * Where a message came from: the MQTT layer's session, which answers the device once the message
 * is stored. Methods are called on the ack stage's thread and must not block.
 */
public interface PublishOrigin {

    /**
     * The message is stored in every outbox it was routed to (or storing failed: see
     * {@link IngestEvent#stored()}); queue the PUBACK/PUBREC (or the error). Called in ring order.
     */
    void onStored(IngestEvent event);
}
