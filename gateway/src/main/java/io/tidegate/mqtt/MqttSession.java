package io.tidegate.mqtt;

import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import io.tidegate.outbox.MessageProperties;
import io.tidegate.pipeline.IngestEvent;
import io.tidegate.pipeline.PublishOrigin;
import io.tidegate.security.Identity;
import io.tidegate.security.TopicPolicy;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connected client. Its protocol state is owned by the channel's event loop; the pipeline's
 * ack stage hands it acknowledgements and deliveries through {@link #enqueue} and
 * {@link #handOver()}, which the event loop then writes with one flush per batch.
 */
public final class MqttSession implements PublishOrigin {

    static final AttributeKey<MqttSession> KEY = AttributeKey.valueOf("tidegate.session");

    /** Deliveries waiting for the client's receive window, beyond which they are dropped and counted. */
    static final int MAX_WAITING_DELIVERIES = 10_000;
    /**
     * QoS 1/2 deliveries unacknowledged at once, whatever the client allows (3.1.1 has no Receive
     * Maximum, and 5.0 defaults to 65,535): bounds what one slow subscriber holds in memory.
     */
    static final int MAX_OUTBOUND_IN_FLIGHT = 1_024;

    private final Channel channel;
    private final String clientId;
    private final MqttVersion version;
    private final Identity identity;
    private final TopicPolicy policy;
    /** QoS 1/2 deliveries in flight at most: the client's Receive Maximum, capped. */
    private final int outboundWindow;
    private final int clientMaximumPacketSize;
    private final MqttMetrics metrics;
    private final MqttDisconnector disconnector;
    private final Will will;

    // Handed over from the ack stage thread to the event loop.
    private final Queue<Object> outbound = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** Ack stage thread only: already in this batch's list of sessions to hand over. */
    boolean touchedInBatch;

    // Event loop only.
    /** QoS 2 packet ids received and not yet released: true once stored and PUBREC sent. */
    private final Map<Integer, Boolean> inboundQos2 = new HashMap<>();
    private int inboundInFlight;
    private final Map<Integer, Delivery> outboundInFlight = new HashMap<>();
    private final ArrayDeque<Delivery> waiting = new ArrayDeque<>();
    private int nextPacketId = 1;
    private boolean willCancelled;
    /** MQTT 5 inbound topic aliases the client set up; created on first use. */
    private Map<Integer, String> topicAliases;
    /** Properties of the PUBLISH being written into the ring (saves a parameter on the hot path). */
    MessageProperties publishProperties = MessageProperties.NONE;

    private volatile boolean closed;

    MqttSession(Channel channel, String clientId, MqttVersion version, Identity identity, TopicPolicy policy,
                int clientReceiveMaximum, int clientMaximumPacketSize, Will will, MqttMetrics metrics,
                MqttDisconnector disconnector) {
        this.channel = channel;
        this.clientId = clientId;
        this.version = version;
        this.identity = identity;
        this.policy = policy;
        this.outboundWindow = Math.min(clientReceiveMaximum, MAX_OUTBOUND_IN_FLIGHT);
        this.clientMaximumPacketSize = clientMaximumPacketSize;
        this.will = will;
        this.metrics = metrics;
        this.disconnector = disconnector;
    }

    public String clientId() {
        return clientId;
    }

    public MqttVersion version() {
        return version;
    }

    public Identity identity() {
        return identity;
    }

    public TopicPolicy policy() {
        return policy;
    }

    public Channel channel() {
        return channel;
    }

    boolean isClosed() {
        return closed;
    }

    void markClosed() {
        closed = true;
    }

    // ---- inbound flow control and QoS 2 state (event loop) ----

    /** Counts a QoS 1/2 PUBLISH in flight; false when the client exceeded the Receive Maximum. */
    boolean acquireInbound(int receiveMaximum) {
        if (inboundInFlight >= receiveMaximum) {
            return false;
        }
        inboundInFlight++;
        return true;
    }

    /** QoS 2: whether {@code packetId} is already received and not yet released (a duplicate). */
    Boolean qos2State(int packetId) {
        return inboundQos2.get(packetId);
    }

    void qos2Received(int packetId) {
        inboundQos2.put(packetId, Boolean.FALSE);
    }

    /** PUBREL: forgets the packet id; false when it was unknown. */
    boolean qos2Released(int packetId) {
        return inboundQos2.remove(packetId) != null;
    }

    // ---- inbound topic aliases (event loop) ----

    void topicAlias(int alias, String topic) {
        if (topicAliases == null) {
            topicAliases = new HashMap<>();
        }
        topicAliases.put(alias, topic);
    }

    String topicForAlias(int alias) {
        return topicAliases == null ? null : topicAliases.get(alias);
    }

    // ---- will ----

    Will willToPublish() {
        return willCancelled ? null : will;
    }

    void cancelWill() {
        willCancelled = true;
    }

    // ---- hand-over from the ack stage (ack stage thread) ----

    @Override
    public void onStored(IngestEvent event) {
        if (event.qos() > 0) {
            enqueue(new StoredAck(event.packetId(), event.qos(), event.stored()));
        }
    }

    void enqueue(Object item) {
        if (!closed) {
            outbound.add(item);
        }
    }

    /** Asks the event loop to write what was enqueued; at most one drain is pending at a time. */
    void handOver() {
        if (drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(this::drain);
        }
    }

    // ---- event loop: writing ----

    /**
     * Sends deliveries made on this session's own event loop (retained messages for a new
     * subscription), behind whatever is already waiting, and flushes.
     */
    void deliverNow(List<Delivery> deliveries) {
        boolean wrote = false;
        for (Delivery delivery : deliveries) {
            if (closed || !channel.isActive()) {
                return;
            }
            wrote |= deliver(delivery);
        }
        if (wrote) {
            channel.flush();
        }
    }

    private void drain() {
        drainScheduled.set(false);
        boolean wrote = false;
        Object item;
        while ((item = outbound.poll()) != null) {
            if (closed || !channel.isActive()) {
                continue;
            }
            if (item instanceof StoredAck ack) {
                wrote |= writeAck(ack);
            } else if (item instanceof Delivery delivery) {
                wrote |= deliver(delivery);
            }
        }
        if (wrote) {
            channel.flush();
        }
    }

    private boolean writeAck(StoredAck ack) {
        inboundInFlight--;
        if (!ack.stored()) {
            return refuseUnstored(ack);
        }
        if (ack.qos() == 1) {
            channel.write(reply(MqttMessageType.PUBACK, ack.packetId(), ReasonCodes.SUCCESS));
        } else {
            inboundQos2.put(ack.packetId(), Boolean.TRUE);
            channel.write(reply(MqttMessageType.PUBREC, ack.packetId(), ReasonCodes.SUCCESS));
        }
        return true;
    }

    /** The outbox could not take the message: never acknowledge it as received. */
    private boolean refuseUnstored(StoredAck ack) {
        if (version != MqttVersion.MQTT_5) {
            // MQTT 3.1.1 has no negative acknowledgement: close, so the client sends it again.
            disconnector.close(channel, "store_failed", clientId);
            return false;
        }
        if (ack.qos() == 2) {
            inboundQos2.remove(ack.packetId());
        }
        metrics.rejected("store_failed");
        MqttMessageType type = ack.qos() == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC;
        channel.write(reply(type, ack.packetId(), ReasonCodes.UNSPECIFIED_ERROR));
        return true;
    }

    private boolean deliver(Delivery delivery) {
        if (delivery.publish().expired(System.currentTimeMillis())) {
            metrics.dropped("message_expired");
            return false;
        }
        if (delivery.publish().packetSize(delivery.qos(), version) > clientMaximumPacketSize) {
            // [MQTT-3.1.2-25]: discard it unsent, as if its delivery had completed.
            metrics.dropped("packet_too_large_for_client");
            return false;
        }
        if (delivery.qos() == 0) {
            if (!channel.isWritable()) {
                metrics.dropped("slow_subscriber");
                return false;
            }
            channel.write(delivery.publish().toMessage(0, 0, version, delivery.retain()));
            metrics.delivered();
            return true;
        }
        if (!waiting.isEmpty() || !canSend()) {
            // Behind earlier deliveries, or the client's window is full, or its socket cannot take
            // more: wait here (bounded) instead of piling up in Netty's outbound buffer.
            if (waiting.size() >= MAX_WAITING_DELIVERIES) {
                metrics.dropped("subscriber_queue_full");
                return false;
            }
            waiting.add(delivery);
            return false;
        }
        return send(delivery);
    }

    private boolean canSend() {
        return outboundInFlight.size() < outboundWindow && channel.isWritable();
    }

    private boolean send(Delivery delivery) {
        int packetId = nextPacketId();
        outboundInFlight.put(packetId, delivery);
        channel.write(delivery.publish().toMessage(delivery.qos(), packetId, version, delivery.retain()));
        metrics.delivered();
        return true;
    }

    private int nextPacketId() {
        do {
            int id = nextPacketId;
            nextPacketId = id == 0xFFFF ? 1 : id + 1;
            if (!outboundInFlight.containsKey(id)) {
                return id;
            }
        } while (true);
    }

    // ---- event loop: the client's acknowledgements of our deliveries ----

    /** PUBACK (QoS 1) or PUBCOMP (QoS 2) from the client: the delivery is complete. */
    void deliveryCompleted(int packetId) {
        if (outboundInFlight.remove(packetId) != null) {
            sendWaiting();
        }
    }

    /** PUBREC from the client: answer PUBREL; a refusing PUBREC (0x80 or more) ends the delivery instead. */
    void deliveryReceived(int packetId, byte reasonCode) {
        if ((reasonCode & 0x80) != 0) {
            // [MQTT-4.3.3-4]: no PUBREL; the refusal frees the receive window like a PUBCOMP [MQTT-3.3.4-9].
            deliveryCompleted(packetId);
            return;
        }
        byte reason = outboundInFlight.containsKey(packetId) ? ReasonCodes.SUCCESS
                : ReasonCodes.PACKET_IDENTIFIER_NOT_FOUND;
        channel.writeAndFlush(reply(MqttMessageType.PUBREL, packetId, reason));
    }

    /** Sends waiting QoS 1/2 deliveries while the window and the socket allow (also when it becomes writable). */
    void sendWaiting() {
        boolean wrote = false;
        while (!waiting.isEmpty() && canSend()) {
            Delivery next = waiting.poll();
            if (next.publish().expired(System.currentTimeMillis())) {
                // [MQTT-3.3.2-5]: expired before onward delivery started.
                metrics.dropped("message_expired");
                continue;
            }
            wrote |= send(next);
        }
        if (wrote) {
            channel.flush();
        }
    }

    /** A PUBACK/PUBREC/PUBREL/PUBCOMP; reason codes and the QoS 1 fixed-header flag as the version needs. */
    MqttMessage reply(MqttMessageType type, int packetId, byte reasonCode) {
        MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        MqttFixedHeader header = new MqttFixedHeader(type, false, qos, false, 0);
        if (version == MqttVersion.MQTT_5) {
            return new MqttMessage(header,
                    new MqttPubReplyMessageVariableHeader(packetId, reasonCode, MqttProperties.NO_PROPERTIES));
        }
        return new MqttMessage(header, MqttMessageIdVariableHeader.from(packetId));
    }

    /** Releases what the session still holds when its connection is gone. */
    void discardPending() {
        outbound.clear();
        waiting.clear();
        outboundInFlight.clear();
    }

    @Override
    public String toString() {
        return clientId;
    }

    /** The outcome of storing one QoS 1/2 PUBLISH, for its acknowledgement. */
    record StoredAck(int packetId, int qos, boolean stored) {
    }

    /** One message for this subscriber at the QoS it gets, with the RETAIN flag it gets. */
    record Delivery(OutboundPublish publish, int qos, boolean retain) {

        Delivery(OutboundPublish publish, int qos) {
            this(publish, qos, false);
        }
    }
}
