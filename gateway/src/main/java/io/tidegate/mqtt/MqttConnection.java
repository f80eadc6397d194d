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

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One network connection of a client: what the CONNECT said (version, identity, policy, the
 * client's limits, the will) and what lives only as long as the connection (topic aliases both
 * ways, QoS 1/2 publishes in flight from the client). The {@link MqttSession} it serves may outlive
 * it. Owned by the channel's event loop, except {@link #onStored}, which the ack stage calls.
 */
public final class MqttConnection implements PublishOrigin {

    static final AttributeKey<MqttConnection> KEY = AttributeKey.valueOf("tidegate.connection");

    private final Channel channel;
    private final MqttSession session;
    private final MqttVersion version;
    private final Identity identity;
    private final TopicPolicy policy;
    /** QoS 1/2 deliveries in flight at most: the client's Receive Maximum, capped. */
    private final int outboundWindow;
    private final int clientMaximumPacketSize;
    private final OutboundTopicAliases outboundAliases;
    private final Will will;
    /** The Session Expiry Interval this connection started with: DISCONNECT may not raise it from 0 [MQTT-3.14.2-2]. */
    private final long connectSessionExpirySeconds;

    /** The session's drain on this connection, made once rather than per hand-over. */
    private final Runnable drainTask = () -> session().drain(this);
    /** Set once the server decided to disconnect a client that let its session's queue overflow. */
    private final AtomicBoolean quotaDisconnect = new AtomicBoolean();

    // Event loop only.
    private int inboundInFlight;
    private boolean willCancelled;
    /** Set once CONNACK is written: deliveries wait until then. */
    private boolean ready;
    /** MQTT 5 inbound topic aliases the client set up; created on first use. */
    private Map<Integer, String> topicAliases;
    /** Properties of the PUBLISH being written into the ring (saves a parameter on the hot path). */
    MessageProperties publishProperties = MessageProperties.NONE;

    MqttConnection(Channel channel, MqttSession session, MqttVersion version, Identity identity, TopicPolicy policy,
                   int clientReceiveMaximum, int clientMaximumPacketSize, int clientTopicAliasMaximum, Will will,
                   long connectSessionExpirySeconds) {
        this.channel = channel;
        this.session = session;
        this.version = version;
        this.identity = identity;
        this.policy = policy;
        this.outboundWindow = Math.min(clientReceiveMaximum, MqttSession.MAX_OUTBOUND_IN_FLIGHT);
        this.clientMaximumPacketSize = clientMaximumPacketSize;
        this.outboundAliases = clientTopicAliasMaximum > 0 ? new OutboundTopicAliases(clientTopicAliasMaximum) : null;
        this.will = will;
        this.connectSessionExpirySeconds = connectSessionExpirySeconds;
    }

    /** The connection a channel carries, or null before its CONNECT was accepted. */
    static MqttConnection of(Channel channel) {
        return channel.attr(KEY).get();
    }

    public Channel channel() {
        return channel;
    }

    public MqttSession session() {
        return session;
    }

    public String clientId() {
        return session.clientId();
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

    Runnable drainTask() {
        return drainTask;
    }

    int outboundWindow() {
        return outboundWindow;
    }

    int clientMaximumPacketSize() {
        return clientMaximumPacketSize;
    }

    /** The aliases the server may use towards this client (MQTT 5 Topic Alias Maximum > 0), or null. */
    OutboundTopicAliases outboundAliases() {
        return outboundAliases;
    }

    long connectSessionExpirySeconds() {
        return connectSessionExpirySeconds;
    }

    boolean isReady() {
        return ready;
    }

    void markReady() {
        ready = true;
    }

    /** True the first time only: the queue overflow disconnects the client once. */
    boolean claimQuotaDisconnect() {
        return quotaDisconnect.compareAndSet(false, true);
    }

    /** Whether packets may still be written: connected, and the server sent no DISCONNECT [MQTT-3.14.4-1]. */
    boolean isOpen() {
        return channel.isActive() && !MqttDisconnector.sentDisconnect(channel);
    }

    // ---- inbound flow control (event loop) ----

    /** Counts a QoS 1/2 PUBLISH in flight; false when the client exceeded the Receive Maximum. */
    boolean acquireInbound(int receiveMaximum) {
        if (inboundInFlight >= receiveMaximum) {
            return false;
        }
        inboundInFlight++;
        return true;
    }

    void releaseInbound() {
        inboundInFlight--;
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

    /** The will to publish when this connection ends, or null (none, or cancelled by a normal DISCONNECT). */
    Will willToPublish() {
        return willCancelled ? null : will;
    }

    void cancelWill() {
        willCancelled = true;
    }

    // ---- acknowledgements (ack stage thread) ----

    @Override
    public void onStored(IngestEvent event) {
        if (event.qos() > 0) {
            session.enqueueAck(new StoredAck(this, event.packetId(), event.qos(), event.stored()));
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

    @Override
    public String toString() {
        return session.clientId() + "@" + channel.remoteAddress();
    }

    /** The outcome of storing one QoS 1/2 PUBLISH of {@code connection}, for its acknowledgement. */
    record StoredAck(MqttConnection connection, int packetId, int qos, boolean stored) {
    }
}
