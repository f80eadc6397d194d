package io.tidegate.pipeline;

import io.tidegate.outbox.MessageProperties;

import java.util.List;
import java.util.Map;

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
    /** The client's authenticated identity (certificate name), or null when anonymous. */
    String principal;
    String topic;
    MessageProperties properties = MessageProperties.NONE;
    byte[] payload = new byte[256];
    int payloadLength;
    long ingestTimeMillis;
    long ingestNanos;
    /** Delivered to local subscribers only, never routed to destinations (a message from the cloud). */
    boolean localOnly;

    // Filled by the route stage: one delivery per outbox entry to write.
    long idMsb;
    long idLsb;
    final int[] destinations;
    /** A delivery's own payload (a rule's SELECT result), or unused when its length is -1. */
    final byte[][] outputs;
    /** A delivery's payload length, or -1 for the message's own payload. */
    final int[] outputLengths;
    /** A delivery's rendered rule action settings (stored with the entry for its destination). */
    final List<Map.Entry<String, String>>[] settings;
    int deliveryCount;

    // Filled by the persist stage.
    boolean stored;
    String failure;

    IngestEvent(int maxDeliveries) {
        int capacity = Math.max(1, maxDeliveries);
        this.destinations = new int[capacity];
        this.outputs = new byte[capacity][];
        this.outputLengths = new int[capacity];
        @SuppressWarnings("unchecked")
        List<Map.Entry<String, String>>[] none = new List[capacity];
        this.settings = none;
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
        this.principal = null;
        this.localOnly = false;
        this.stored = false;
        this.failure = null;
        this.deliveryCount = 0;
    }

    /** The authenticated identity of the publisher, for the rules' {@code principal()}. */
    public void principal(String principal) {
        this.principal = principal;
    }

    /**
     * Marks the message for local subscribers only: it skips the rules and every outbox. Messages
     * from the cloud take this path, so a command is never forwarded back to where it came from.
     */
    public void localOnly() {
        this.localOnly = true;
    }

    /** Stores the message, with its own payload, in {@code destinationId}'s outbox. */
    public void deliverUnchanged(int destinationId) {
        deliverUnchanged(destinationId, List.of());
    }

    /** {@link #deliverUnchanged(int)} with the rule action's rendered settings (immutable). */
    public void deliverUnchanged(int destinationId, List<Map.Entry<String, String>> actionSettings) {
        int i = nextDelivery();
        destinations[i] = destinationId;
        outputLengths[i] = -1;
        settings[i] = actionSettings;
    }

    /** Stores {@code payload[0, length)} (copied: the caller may reuse it) in {@code destinationId}'s outbox. */
    public void deliver(int destinationId, byte[] payload, int length) {
        deliver(destinationId, payload, length, List.of());
    }

    /** {@link #deliver(int, byte[], int)} with the rule action's rendered settings (immutable). */
    public void deliver(int destinationId, byte[] payload, int length, List<Map.Entry<String, String>> actionSettings) {
        int i = nextDelivery();
        destinations[i] = destinationId;
        settings[i] = actionSettings;
        byte[] output = outputs[i];
        if (output == null || output.length < length) {
            output = new byte[length];
            outputs[i] = output;
        }
        System.arraycopy(payload, 0, output, 0, length);
        outputLengths[i] = length;
    }

    private int nextDelivery() {
        if (deliveryCount == destinations.length) {
            throw new IllegalStateException("more than " + destinations.length + " deliveries for one message");
        }
        return deliveryCount++;
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
        principal = null;
        topic = null;
        properties = MessageProperties.NONE;
        if (payload.length > RETAINED_PAYLOAD_CAPACITY) {
            payload = new byte[256];
        }
        for (int i = 0; i < outputs.length; i++) {
            settings[i] = null;
            if (outputs[i] != null && outputs[i].length > RETAINED_PAYLOAD_CAPACITY) {
                outputs[i] = null;
            }
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
