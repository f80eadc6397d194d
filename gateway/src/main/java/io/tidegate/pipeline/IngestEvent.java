package io.tidegate.pipeline;

import io.tidegate.outbox.MessageProperties;

/**
 * One slot of the ingest ring, preallocated and reused. The event loop fills it (copying the
 * payload into {@link #payload}, which grows and is kept between uses), the stages read it, and
 * the ack stage clears its references.
 */
public final class IngestEvent {

    /**
     * Payload arrays up to this size are kept in the slot for reuse; larger ones are let go. Bounds
     * what an idle ring holds: 16,384 slots × 2 KiB = 32 MiB at most.
     */
    static final int RETAINED_PAYLOAD_CAPACITY = 2 * 1024;

    // Filled by the producer (the device's event loop).
    PublishOrigin origin;
    int packetId;
    int qos;
    boolean retain;
    String clientId;
    String topic;
    MessageProperties properties = MessageProperties.NONE;
    byte[] payload = new byte[256];
    int payloadLength;
    long ingestTimeMillis;
    long ingestNanos;

    // Filled by the route stage.
    long idMsb;
    long idLsb;
    final int[] destinations;
    int destinationCount;

    // Filled by the persist stage.
    boolean stored;
    String failure;

    IngestEvent(int maxDestinations) {
        this.destinations = new int[Math.max(1, maxDestinations)];
    }

    /** Sets the publish fields; {@link #payloadBuffer(int)} then takes the payload bytes. */
    public void set(PublishOrigin origin, int packetId, int qos, boolean retain, String clientId, String topic,
                    MessageProperties properties, long ingestTimeMillis, long ingestNanos) {
        this.origin = origin;
        this.packetId = packetId;
        this.qos = qos;
        this.retain = retain;
        this.clientId = clientId;
        this.topic = topic;
        this.properties = properties == null ? MessageProperties.NONE : properties;
        this.ingestTimeMillis = ingestTimeMillis;
        this.ingestNanos = ingestNanos;
        this.stored = false;
        this.failure = null;
        this.destinationCount = 0;
    }

    /** An array of at least {@code length} bytes to copy the payload into. */
    public byte[] payloadBuffer(int length) {
        if (payload.length < length) {
            payload = new byte[length];
        }
        payloadLength = length;
        return payload;
    }

    void clear() {
        origin = null;
        clientId = null;
        topic = null;
        properties = MessageProperties.NONE;
        if (payload.length > RETAINED_PAYLOAD_CAPACITY) {
            payload = new byte[256];
        }
    }

    public PublishOrigin origin() {
        return origin;
    }

    public int packetId() {
        return packetId;
    }

    public int qos() {
        return qos;
    }

    public boolean retain() {
        return retain;
    }

    public String clientId() {
        return clientId;
    }

    public String topic() {
        return topic;
    }

    public MessageProperties properties() {
        return properties;
    }

    /** The payload array; only {@code [0, payloadLength())} is the message. Do not keep it. */
    public byte[] payload() {
        return payload;
    }

    public int payloadLength() {
        return payloadLength;
    }

    public long ingestTimeMillis() {
        return ingestTimeMillis;
    }

    public long ingestNanos() {
        return ingestNanos;
    }

    /** Whether every destination's outbox took the message. */
    public boolean stored() {
        return stored;
    }

    /** Why storing failed, when it did. */
    public String failure() {
        return failure;
    }
}
