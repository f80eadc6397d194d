package io.tidegate.mqtt;

import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.concurrent.ScheduledFuture;
import io.tidegate.pipeline.IngestEvent;
import io.tidegate.pipeline.PublishOrigin;
import io.tidegate.security.Identity;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client's session (MQTT 5 section 4.1): its subscriptions (the subscription trees key them by
 * this object), the QoS 1/2 messages sent to it and not yet acknowledged, the messages waiting for
 * it, and the QoS 2 messages it sent that await PUBREL. A session lives as long as its connection
 * (Clean Start with Session Expiry 0), or longer, offline, until it expires or the client comes back.
 *
 * <p>Threads: the ack stage hands acknowledgements and deliveries over through {@link #enqueueAck},
 * {@link #enqueue} and {@link #handOver()}; they wait in a queue, which is also the offline queue.
 * Everything else belongs to the event loop of the connection attached at the time, and every
 * event-loop method takes that connection and does nothing unless it is still the attached one.
 * Attaching and detaching happen under the {@link SessionRegistry}'s lock, which is what hands the
 * state from one connection's event loop to the next.
 */
public final class MqttSession implements PublishOrigin {

    /**
     * QoS 1/2 deliveries unacknowledged at once, whatever the client allows (3.1.1 has no Receive
     * Maximum, and 5.0 defaults to 65,535): bounds what one slow subscriber holds in memory.
     */
    static final int MAX_OUTBOUND_IN_FLIGHT = 1_024;
    /** Stands for an empty waiting queue; never written to. */
    private static final ArrayDeque<Delivery> NO_DELIVERIES = new ArrayDeque<>(0);

    private final String clientId;
    /** The identity that made the session: a client id reused by another identity starts afresh. */
    private final Identity owner;
    private final int maxQueued;
    private final MqttMetrics metrics;
    private final MqttDisconnector disconnector;

    // Guarded by the registry's lock: the session's life.
    /** The Session Expiry Interval in force: 0 ends the session with its connection. */
    long expirySeconds;
    /** When an offline session expires (epoch millis), for snapshots; 0 while connected. */
    long expiresAtMillis;
    ScheduledFuture<?> expiryTask;
    /** A will waiting for its Will Delay Interval [MQTT-3.1.3-9], and when it is due (epoch millis). */
    Will pendingWill;
    long pendingWillDueMillis;
    ScheduledFuture<?> willTask;
    /** A connection waiting for the attached one to be gone before it takes the session over. */
    SessionRegistry.PendingOpen takeover;
    boolean ended;

    private volatile MqttConnection connection;

    // Handed over from the ack stage thread to the event loop; kept while offline.
    private final Queue<Object> outbound = new ConcurrentLinkedQueue<>();
    /** Deliveries in {@link #outbound} and {@link #waiting}: bounded by {@link #maxQueued}. */
    private final AtomicInteger queued = new AtomicInteger();
    /** 1 while a drain is scheduled on the event loop: at most one at a time. */
    private volatile int drainScheduled;
    private static final AtomicIntegerFieldUpdater<MqttSession> DRAIN_SCHEDULED =
            AtomicIntegerFieldUpdater.newUpdater(MqttSession.class, "drainScheduled");
    /** Ack stage thread only: already in this batch's list of sessions to hand over. */
    boolean touchedInBatch;

    // Owned by the attached connection's event loop (or the registry's lock while offline). Made on
    // first use: most sessions are devices that only publish, and there are tens of thousands.
    /** QoS 2 packet ids received and not yet released: true once stored and PUBREC sent. */
    private Map<Integer, Boolean> inboundQos2;
    /** Sent, unacknowledged QoS 1/2 deliveries by packet id, in the order they were sent. */
    private LinkedHashMap<Integer, InFlight> outboundInFlight;
    private ArrayDeque<Delivery> waiting;
    private int nextPacketId = 1;

    MqttSession(String clientId, Identity owner, int maxQueued, MqttMetrics metrics, MqttDisconnector disconnector) {
        this.clientId = clientId;
        this.owner = owner;
        this.maxQueued = maxQueued;
        this.metrics = metrics;
        this.disconnector = disconnector;
    }

    public String clientId() {
        return clientId;
    }

    public Identity owner() {
        return owner;
    }

    /** The connection attached now, or null while the session is offline. */
    public MqttConnection connection() {
        return connection;
    }

    /** Whether a delivery would go out now: connected, and its socket takes more. Any thread. */
    boolean isDeliverable() {
        MqttConnection c = connection;
        return c != null && c.channel().isWritable();
    }

    /** Under the registry's lock. */
    void attach(MqttConnection c) {
        connection = c;
    }

    /** Under the registry's lock. */
    void detach() {
        connection = null;
    }

    /** A will of this session is nobody's PUBLISH: nothing to acknowledge. */
    @Override
    public void onStored(IngestEvent event) {
    }

    // ---- hand-over from the ack stage (ack stage thread) ----

    void enqueueAck(MqttConnection.StoredAck ack) {
        if (!ended) {
            outbound.add(ack);
        }
    }

    /**
     * Queues a delivery. For an offline session the queue is bounded by {@code maxQueued}: more is
     * dropped and counted, and QoS 0 messages are not kept at all (MQTT 5 3.1.2.4 allows either).
     * For a connected one the hand-over queue only holds what the ack stage's last batch matched;
     * the bound applies on the event loop, to what waits for the client's window or socket.
     */
    void enqueue(Delivery delivery) {
        if (ended) {
            return;
        }
        if (connection == null) {
            if (delivery.qos() == 0) {
                metrics.dropped("offline_qos0");
                return;
            }
            if (queued.get() >= maxQueued) {
                metrics.dropped("session_queue_full");
                return;
            }
        }
        queued.incrementAndGet();
        outbound.add(delivery);
    }

    /** Asks the attached connection's event loop to write what was enqueued; at most one drain is pending. */
    void handOver() {
        MqttConnection c = connection;
        if (c != null && DRAIN_SCHEDULED.compareAndSet(this, 0, 1)) {
            c.channel().eventLoop().execute(c.drainTask());
        }
    }

    /** Deliveries waiting for the client: queued while offline, or behind a full window. */
    public int queuedMessages() {
        return queued.get();
    }

    // ---- event loop of the attached connection ----

    private boolean owns(MqttConnection c) {
        return connection == c;
    }

    /**
     * The connection's CONNACK is written: re-sends what an earlier connection left unacknowledged,
     * with DUP set and the same packet ids (PUBREL for QoS 2 already received) [MQTT-4.4.0-1], then
     * what waited.
     */
    void resume(MqttConnection c, boolean sessionPresent) {
        if (!owns(c)) {
            return;
        }
        c.markReady();
        Channel channel = c.channel();
        if (sessionPresent) {
            var entries = sent().entrySet().iterator();
            while (entries.hasNext()) {
                var entry = entries.next();
                InFlight f = entry.getValue();
                if (f.released) {
                    channel.write(c.reply(MqttMessageType.PUBREL, entry.getKey(), ReasonCodes.SUCCESS));
                } else if (fitsClient(c, f.delivery)) {
                    channel.write(publishMessage(c, f.delivery, entry.getKey(), true));
                } else {
                    entries.remove();
                }
            }
        } else {
            sent().clear();
        }
        sendWaiting(c);
        channel.flush();
        handOver();
    }

    /** Runs on {@code c}'s event loop: writes what the ack stage handed over. */
    void drain(MqttConnection c) {
        drainScheduled = 0;
        if (!owns(c)) {
            handOver(); // moved to another connection meanwhile: let its event loop drain
            return;
        }
        if (!c.isReady()) {
            return; // resume() drains once CONNACK is out
        }
        Channel channel = c.channel();
        boolean wrote = false;
        Object item;
        while (c.isOpen() && (item = outbound.poll()) != null) {
            if (item instanceof MqttConnection.StoredAck ack) {
                wrote |= writeAck(c, ack);
            } else if (item instanceof Delivery delivery) {
                wrote |= deliver(c, delivery);
            }
        }
        if (wrote) {
            channel.flush();
        }
    }

    private boolean writeAck(MqttConnection c, MqttConnection.StoredAck ack) {
        if (ack.connection() != c) {
            return writeEarlierAck(c, ack);
        }
        c.releaseInbound();
        if (!ack.stored()) {
            return refuseUnstored(c, ack);
        }
        if (ack.qos() == 1) {
            c.channel().write(c.reply(MqttMessageType.PUBACK, ack.packetId(), ReasonCodes.SUCCESS));
        } else {
            qos2().put(ack.packetId(), Boolean.TRUE);
            c.channel().write(c.reply(MqttMessageType.PUBREC, ack.packetId(), ReasonCodes.SUCCESS));
        }
        return true;
    }

    /**
     * The outcome of a PUBLISH received on an earlier connection of this session. QoS 1: nothing
     * to do, the client sends it again (at least once). QoS 2: the packet id's state is the
     * session's, so the PUBREC goes out now, and the client goes on with PUBREL [MQTT-4.3.3-10].
     */
    private boolean writeEarlierAck(MqttConnection c, MqttConnection.StoredAck ack) {
        if (ack.qos() != 2) {
            return false;
        }
        if (!ack.stored()) {
            qos2().remove(ack.packetId()); // not stored: the client's re-send is stored afresh
            return false;
        }
        qos2().put(ack.packetId(), Boolean.TRUE);
        c.channel().write(c.reply(MqttMessageType.PUBREC, ack.packetId(), ReasonCodes.SUCCESS));
        return true;
    }

    /** The outbox could not take the message: never acknowledge it as received. */
    private boolean refuseUnstored(MqttConnection c, MqttConnection.StoredAck ack) {
        if (c.version() != MqttVersion.MQTT_5) {
            // MQTT 3.1.1 has no negative acknowledgement: close, so the client sends it again.
            disconnector.close(c.channel(), "store_failed", clientId);
            return false;
        }
        if (ack.qos() == 2) {
            qos2().remove(ack.packetId());
        }
        metrics.rejected("store_failed");
        MqttMessageType type = ack.qos() == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC;
        c.channel().write(c.reply(type, ack.packetId(), ReasonCodes.UNSPECIFIED_ERROR));
        return true;
    }

    // ---- inbound QoS 2 state ----

    /** QoS 2: whether {@code packetId} is already received and not yet released (a duplicate). */
    Boolean qos2State(MqttConnection c, int packetId) {
        return owns(c) && inboundQos2 != null ? inboundQos2.get(packetId) : null;
    }

    void qos2Received(MqttConnection c, int packetId) {
        if (owns(c)) {
            qos2().put(packetId, Boolean.FALSE);
        }
    }

    /** PUBREL: forgets the packet id; false when it was unknown. */
    boolean qos2Released(MqttConnection c, int packetId) {
        return owns(c) && inboundQos2 != null && inboundQos2.remove(packetId) != null;
    }

    // ---- deliveries ----

    /**
     * Sends deliveries made on the connection's own event loop (retained messages for a new
     * subscription), behind whatever is already waiting, and flushes.
     */
    void deliverNow(MqttConnection c, List<Delivery> deliveries) {
        boolean wrote = false;
        for (Delivery delivery : deliveries) {
            if (!owns(c) || !c.isOpen()) {
                return;
            }
            queued.incrementAndGet();
            wrote |= deliver(c, delivery);
        }
        if (wrote) {
            c.channel().flush();
        }
    }

    /** One queued delivery (counted in {@link #queued}): sent, dropped, or left waiting, still counted. */
    private boolean deliver(MqttConnection c, Delivery delivery) {
        if (delivery.publish().expired(System.currentTimeMillis())) {
            queued.decrementAndGet();
            metrics.dropped("message_expired");
            return false;
        }
        if (!fitsClient(c, delivery)) {
            // [MQTT-3.1.2-25]: discard it unsent, as if its delivery had completed.
            queued.decrementAndGet();
            metrics.dropped("packet_too_large_for_client");
            return false;
        }
        Channel channel = c.channel();
        if (delivery.qos() == 0) {
            queued.decrementAndGet();
            if (!channel.isWritable()) {
                metrics.dropped("slow_subscriber");
                return false;
            }
            channel.write(publishMessage(c, delivery, 0, false));
            metrics.delivered();
            return true;
        }
        if (!waitingView().isEmpty() || !canSend(c)) {
            // Behind earlier deliveries, or the client's window is full, or its socket cannot take
            // more: wait here (bounded) instead of piling up in Netty's outbound buffer.
            if (waitingView().size() >= maxQueued) {
                queued.decrementAndGet();
                overflowed(c);
                return false;
            }
            waitingForWrite().add(delivery);
            return false;
        }
        queued.decrementAndGet();
        return send(c, delivery);
    }

    /**
     * A connected client that does not take its messages: the new one is dropped and counted, and
     * the client is told with DISCONNECT 0x97 (quota exceeded), once; its session, if it outlives
     * the connection, keeps what waits.
     */
    private void overflowed(MqttConnection c) {
        metrics.dropped("session_queue_full");
        if (c.claimQuotaDisconnect()) {
            disconnector.disconnect(c.channel(), c.version(), ReasonCodes.QUOTA_EXCEEDED, "session_queue_full",
                    clientId);
        }
    }

    private static boolean fitsClient(MqttConnection c, Delivery delivery) {
        return delivery.publish().packetSize(delivery.qos(), c.version(), delivery.subscriptionIds(),
                c.outboundAliases() != null) <= c.clientMaximumPacketSize();
    }

    private boolean canSend(MqttConnection c) {
        return sent().size() < c.outboundWindow() && c.channel().isWritable() && c.isOpen();
    }

    private boolean send(MqttConnection c, Delivery delivery) {
        int packetId = nextPacketId();
        sentForWrite().put(packetId, new InFlight(delivery));
        c.channel().write(publishMessage(c, delivery, packetId, false));
        metrics.delivered();
        return true;
    }

    /** The PUBLISH for this connection, with a topic alias where the client allows them. */
    private static io.netty.handler.codec.mqtt.MqttPublishMessage publishMessage(MqttConnection c, Delivery delivery,
                                                                                int packetId, boolean dup) {
        OutboundPublish publish = delivery.publish();
        String wireTopic = publish.topic();
        int alias = 0;
        OutboundTopicAliases aliases = c.outboundAliases();
        if (aliases != null) {
            int assigned = aliases.aliasFor(wireTopic);
            if (assigned > 0) {
                wireTopic = "";
                alias = assigned;
            } else {
                alias = -assigned;
            }
        }
        return publish.toMessage(delivery.qos(), packetId, c.version(), delivery.retain(), dup,
                delivery.subscriptionIds(), wireTopic, alias);
    }

    private int nextPacketId() {
        do {
            int id = nextPacketId;
            nextPacketId = id == 0xFFFF ? 1 : id + 1;
            if (!sent().containsKey(id)) {
                return id;
            }
        } while (true);
    }

    /** PUBACK (QoS 1) or PUBCOMP (QoS 2) from the client: the delivery is complete. */
    void deliveryCompleted(MqttConnection c, int packetId) {
        if (owns(c) && sent().remove(packetId) != null) {
            sendWaiting(c);
        }
    }

    /** PUBREC from the client: answer PUBREL; a refusing PUBREC (0x80 or more) ends the delivery instead. */
    void deliveryReceived(MqttConnection c, int packetId, byte reasonCode) {
        if (!owns(c)) {
            return;
        }
        if ((reasonCode & 0x80) != 0) {
            // [MQTT-4.3.3-4]: no PUBREL; the refusal frees the receive window like a PUBCOMP [MQTT-3.3.4-9].
            deliveryCompleted(c, packetId);
            return;
        }
        InFlight f = sent().get(packetId);
        if (f != null) {
            f.released = true; // re-sent as PUBREL, never as PUBLISH, after a reconnect [MQTT-4.3.3-6]
        }
        byte reason = f != null ? ReasonCodes.SUCCESS : ReasonCodes.PACKET_IDENTIFIER_NOT_FOUND;
        c.channel().writeAndFlush(c.reply(MqttMessageType.PUBREL, packetId, reason));
    }

    /** Sends waiting QoS 1/2 deliveries while the window and the socket allow (also when it becomes writable). */
    void sendWaiting(MqttConnection c) {
        if (!owns(c) || !c.isReady()) {
            return;
        }
        boolean wrote = false;
        while (!waitingView().isEmpty() && canSend(c)) {
            Delivery next = waitingView().poll();
            queued.decrementAndGet();
            if (next.publish().expired(System.currentTimeMillis())) {
                // [MQTT-3.3.2-5]: expired before onward delivery started.
                metrics.dropped("message_expired");
                continue;
            }
            wrote |= send(c, next);
        }
        if (wrote) {
            c.channel().flush();
        }
    }

    private Map<Integer, Boolean> qos2() {
        if (inboundQos2 == null) {
            inboundQos2 = new HashMap<>();
        }
        return inboundQos2;
    }

    /** The sent deliveries; an empty view until there is one. */
    private Map<Integer, InFlight> sent() {
        return outboundInFlight == null ? Collections.emptyMap() : outboundInFlight;
    }

    private Map<Integer, InFlight> sentForWrite() {
        if (outboundInFlight == null) {
            outboundInFlight = new LinkedHashMap<>();
        }
        return outboundInFlight;
    }

    /** The waiting deliveries; an empty queue until there is one. */
    private ArrayDeque<Delivery> waitingView() {
        return waiting == null ? NO_DELIVERIES : waiting;
    }

    private ArrayDeque<Delivery> waitingForWrite() {
        if (waiting == null) {
            waiting = new ArrayDeque<>();
        }
        return waiting;
    }

    // ---- the session's end, snapshots (registry lock, offline) ----

    /** Drops everything the session holds for its client; returns how many QoS 1/2 messages that was. */
    int discardAll() {
        int dropped = sent().size() + waitingView().size();
        Object item;
        while ((item = outbound.poll()) != null) {
            if (item instanceof Delivery d && d.qos() > 0) {
                dropped++;
            }
        }
        sent().clear();
        waitingView().clear();
        inboundQos2 = null;
        queued.set(0);
        return dropped;
    }

    /** What an offline session holds, for the session snapshot. Registry lock, offline. */
    SessionState state() {
        List<Delivery> pending = new ArrayList<>(waitingView());
        for (Object item : outbound) {
            if (item instanceof Delivery d) {
                pending.add(d);
            }
        }
        Map<Integer, InFlight> inFlight = new LinkedHashMap<>();
        sent().forEach((id, f) -> inFlight.put(id, new InFlight(f.delivery, f.released)));
        List<Integer> qos2 = new ArrayList<>();
        qos2().forEach((id, stored) -> {
            if (stored) {
                qos2.add(id);
            }
        });
        return new SessionState(inFlight, pending, qos2, nextPacketId);
    }

    /** Restores what {@link #state()} gave, into a new offline session. */
    void restore(SessionState state) {
        sentForWrite().putAll(state.inFlight());
        for (Delivery d : state.pending()) {
            if (queued.get() < maxQueued) {
                queued.incrementAndGet();
                outbound.add(d);
            } else {
                metrics.dropped("session_queue_full");
            }
        }
        state.releasedQos2().forEach(id -> qos2().put(id, Boolean.TRUE));
        nextPacketId = state.nextPacketId();
    }

    @Override
    public String toString() {
        return clientId;
    }

    /** One message for this subscriber at the QoS it gets, with the RETAIN flag and subscription ids it gets. */
    record Delivery(OutboundPublish publish, int qos, boolean retain, int[] subscriptionIds) {
    }

    /** A QoS 1/2 delivery sent and not completed; {@code released}: QoS 2, PUBREC received and PUBREL sent. */
    static final class InFlight {
        final Delivery delivery;
        boolean released;

        InFlight(Delivery delivery) {
            this(delivery, false);
        }

        InFlight(Delivery delivery, boolean released) {
            this.delivery = delivery;
            this.released = released;
        }
    }

    /**
     * An offline session's deliveries, for the snapshot.
     *
     * @param inFlight      sent and unacknowledged, by packet id, in send order
     * @param pending       not sent yet, in order
     * @param releasedQos2  QoS 2 packet ids the client sent, stored and PUBREC'd, awaiting PUBREL
     * @param nextPacketId  where packet id assignment goes on
     */
    record SessionState(Map<Integer, InFlight> inFlight, List<Delivery> pending, List<Integer> releasedQos2,
                        int nextPacketId) {
    }
}
