package io.tidegate.forward.iotcore;

/**
 * Where messages from the cloud go: local subscribers of the gateway (commands to devices). The
 * IoT Core connection acknowledges a QoS 1 message upstream only once the sink has delivered it.
 */
public interface DownstreamSink {

    /**
     * Offers one message; false when the sink cannot take it now (the caller tries again shortly and
     * stops reading the connection meanwhile). {@code delivered} runs once it is handed to local
     * sessions, on a thread of the sink's choosing; it must not block.
     */
    boolean offer(String clientId, String topic, byte[] payload, int qos, Runnable delivered);

    /** Drops downstream messages: a gateway without local delivery. */
    DownstreamSink NONE = (clientId, topic, payload, qos, delivered) -> {
        delivered.run();
        return true;
    };
}
