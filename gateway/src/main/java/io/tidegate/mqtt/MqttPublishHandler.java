package io.tidegate.mqtt;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.tidegate.mqtt.topic.TopicProblem;
import io.tidegate.mqtt.topic.Topics;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Takes PUBLISH (and PUBREL) from a device: validates and authorizes the topic, suppresses QoS 2
 * duplicates, enforces the Receive Maximum, and copies the message into the ring. The ring never
 * blocks this event loop: when it is full the message waits here, the socket stops being read,
 * and a timer retries until the ring has room. One instance per channel.
 */
final class MqttPublishHandler extends ChannelInboundHandlerAdapter {

    /** First retry of a full ring, doubling on each miss up to {@link #MAX_RETRY_MICROS}. */
    private static final long MIN_RETRY_MICROS = 500;
    private static final long MAX_RETRY_MICROS = 50_000;

    private final MqttServerContext server;
    /** Accepted messages the ring had no room for yet, in arrival order; each retained. */
    private ArrayDeque<MqttPublishMessage> waiting; // made on the first pause: most sockets never pause
    private ScheduledFuture<?> retry;
    private long retryMicros = MIN_RETRY_MICROS;

    MqttPublishHandler(MqttServerContext server) {
        this.server = server;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof MqttPublishMessage received) {
            MqttPublishMessage publish = received;
            try {
                publish = withAliasResolved(ctx, received);
                if (publish != null) {
                    onPublish(ctx, publish);
                }
            } finally {
                received.release();
                if (publish != null && publish != received) {
                    publish.release();
                }
            }
        } else if (msg instanceof MqttMessage m && m.fixedHeader().messageType() == MqttMessageType.PUBREL) {
            onPubRel(ctx, m);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    /**
     * MQTT 5 Topic Alias (3.3.2.3.4): a PUBLISH with an alias and a topic sets the alias up; one with
     * an alias and an empty topic uses it, and gets its topic here. An alias of 0 or above the
     * announced Topic Alias Maximum is refused with DISCONNECT 0x94 [MQTT-3.3.2-8, -9], an alias
     * never set up with 0x82. Returns the message to go on with, or null when the client was
     * disconnected.
     */
    private MqttPublishMessage withAliasResolved(ChannelHandlerContext ctx, MqttPublishMessage publish) {
        MqttConnection connection = MqttConnection.of(ctx.channel());
        if (connection == null || connection.version() != MqttVersion.MQTT_5) {
            return publish;
        }
        MqttProperties.MqttProperty<?> property = publish.variableHeader().properties()
                .getProperty(MqttProperties.MqttPropertyType.TOPIC_ALIAS.value());
        if (property == null) {
            return publish;
        }
        int alias = (Integer) property.value();
        if (alias == 0 || alias > server.config().topicAliasMaximum()) {
            server.disconnector().disconnect(ctx.channel(), connection.version(), ReasonCodes.TOPIC_ALIAS_INVALID,
                    "topic_alias_invalid", connection.clientId());
            return null;
        }
        String topic = publish.variableHeader().topicName();
        if (!topic.isEmpty()) {
            if (Topics.validateTopicName(topic) == null) {
                connection.topicAlias(alias, topic);
            }
            return publish; // an invalid topic is refused by onPublish as without an alias
        }
        String aliased = connection.topicForAlias(alias);
        if (aliased == null) {
            server.disconnector().disconnect(ctx.channel(), connection.version(), ReasonCodes.PROTOCOL_ERROR,
                    "topic_alias_unknown", connection.clientId());
            return null;
        }
        MqttPublishVariableHeader header = publish.variableHeader();
        return new MqttPublishMessage(publish.fixedHeader(),
                new MqttPublishVariableHeader(aliased, header.packetId(), header.properties()),
                publish.payload().retain());
    }

    private void onPublish(ChannelHandlerContext ctx, MqttPublishMessage publish) {
        MqttConnection connection = MqttConnection.of(ctx.channel());
        String topic = publish.variableHeader().topicName();
        int qos = publish.fixedHeader().qosLevel().value();
        int packetId = publish.variableHeader().packetId();
        boolean v5 = connection.version() == MqttVersion.MQTT_5;

        TopicProblem problem = Topics.validateTopicName(topic);
        if (problem == null && topic.indexOf('\uFFFD') >= 0) {
            // The codec decodes ill-formed UTF-8 to U+FFFD instead of failing [MQTT-1.5.3-1].
            problem = TopicProblem.UNPAIRED_SURROGATE;
        }
        if (problem == TopicProblem.UNPAIRED_SURROGATE || problem == TopicProblem.NULL_CHARACTER) {
            // [MQTT-1.5.4-1], [MQTT-1.5.4-2]: ill-formed UTF-8 or U+0000 makes the packet malformed.
            server.disconnector().disconnect(ctx.channel(), connection.version(), ReasonCodes.MALFORMED_PACKET,
                    "topic_malformed", connection.clientId());
            return;
        }
        if (problem != null) {
            server.disconnector().disconnect(ctx.channel(), connection.version(), ReasonCodes.TOPIC_NAME_INVALID,
                    "topic_name_invalid", connection.clientId());
            return;
        }
        if (v5 && publish.variableHeader().properties()
                .getProperty(MqttProperties.MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value()) != null) {
            // [MQTT-3.3.4-6]: a client's PUBLISH must not carry a Subscription Identifier.
            server.disconnector().disconnect(ctx.channel(), connection.version(), ReasonCodes.PROTOCOL_ERROR,
                    "subscription_identifier_in_publish", connection.clientId());
            return;
        }
        if (!connection.policy().mayPublish(topic)) {
            refuseUnauthorized(ctx, connection, qos, packetId, topic);
            return;
        }
        if (qos == 2) {
            Boolean stored = connection.session().qos2State(connection, packetId);
            if (stored != null) {
                // A duplicate of a QoS 2 message in progress: never store it twice.
                if (stored) {
                    ctx.writeAndFlush(connection.reply(MqttMessageType.PUBREC, packetId, ReasonCodes.SUCCESS));
                }
                return;
            }
        }
        if (qos > 0 && !connection.acquireInbound(v5 ? server.config().receiveMaximum() : Integer.MAX_VALUE)) {
            server.disconnector().disconnect(ctx.channel(), connection.version(), ReasonCodes.RECEIVE_MAXIMUM_EXCEEDED,
                    "receive_maximum_exceeded", connection.clientId());
            return;
        }
        if (qos == 2) {
            connection.session().qos2Received(connection, packetId);
        }
        if (qos == 0 && !server.ring().admitsQos0()) {
            return; // a full outbox holds QoS 1/2 back; QoS 0 is dropped and counted, the socket read on
        }
        server.metrics().messageIn(qos, publish.payload().readableBytes());
        if (hasWaiting() || !ingest(connection, publish)) {
            if (waiting == null) {
                waiting = new ArrayDeque<>();
            }
            waiting.add(publish.retain());
            pause(ctx);
        }
    }

    private void refuseUnauthorized(ChannelHandlerContext ctx, MqttConnection connection, int qos, int packetId,
                                    String topic) {
        server.metrics().rejected("publish_not_authorized");
        if (connection.version() != MqttVersion.MQTT_5) {
            // MQTT 3.1.1 cannot say "not authorized" in a PUBACK: close the connection.
            server.disconnector().disconnect(ctx.channel(), connection.version(), ReasonCodes.NOT_AUTHORIZED,
                    "publish_not_authorized", connection.clientId());
            return;
        }
        if (qos == 1) {
            ctx.writeAndFlush(connection.reply(MqttMessageType.PUBACK, packetId, ReasonCodes.NOT_AUTHORIZED));
        } else if (qos == 2) {
            ctx.writeAndFlush(connection.reply(MqttMessageType.PUBREC, packetId, ReasonCodes.NOT_AUTHORIZED));
        }
    }

    private boolean ingest(MqttConnection connection, MqttPublishMessage publish) {
        connection.publishProperties = connection.version() == MqttVersion.MQTT_5
                ? MessagePropertiesMapper.fromMqtt(publish.variableHeader().properties())
                : io.tidegate.outbox.MessageProperties.NONE;
        return server.ring().tryPublish(IngestWriters.PUBLISH, connection, publish);
    }

    private boolean hasWaiting() {
        return waiting != null && !waiting.isEmpty();
    }

    /** Stops reading the socket until the waiting messages are in the ring. */
    private void pause(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(false);
        if (retry == null) {
            retryMicros = MIN_RETRY_MICROS;
            retry = ctx.executor().schedule(() -> retryWaiting(ctx), retryMicros, TimeUnit.MICROSECONDS);
        }
    }

    private void retryWaiting(ChannelHandlerContext ctx) {
        retry = null;
        if (!ctx.channel().isActive()) {
            releaseWaiting();
            return;
        }
        MqttConnection connection = MqttConnection.of(ctx.channel());
        while (hasWaiting()) {
            if (!ingest(connection, waiting.peek())) {
                if (!server.ring().isRunning()) {
                    // Shutting down: the messages were never acknowledged; the client sends them again.
                    releaseWaiting();
                    return;
                }
                // Back off: thousands of paused devices must not keep the event loops busy polling.
                retryMicros = Math.min(MAX_RETRY_MICROS, retryMicros * 2);
                retry = ctx.executor().schedule(() -> retryWaiting(ctx), retryMicros, TimeUnit.MICROSECONDS);
                return;
            }
            waiting.poll().release();
        }
        ctx.channel().config().setAutoRead(true);
    }

    private void onPubRel(ChannelHandlerContext ctx, MqttMessage pubRel) {
        MqttConnection connection = MqttConnection.of(ctx.channel());
        int packetId = ((MqttMessageIdVariableHeader) pubRel.variableHeader()).messageId();
        ReferenceCountUtil.release(pubRel);
        boolean known = connection.session().qos2Released(connection, packetId);
        byte reason = known || connection.version() != MqttVersion.MQTT_5
                ? ReasonCodes.SUCCESS : ReasonCodes.PACKET_IDENTIFIER_NOT_FOUND;
        ctx.writeAndFlush(connection.reply(MqttMessageType.PUBCOMP, packetId, reason));
    }

    private void releaseWaiting() {
        MqttPublishMessage message;
        while (waiting != null && (message = waiting.poll()) != null) {
            message.release();
        }
    }

    /**
     * While this handler holds the socket paused, the client's PINGREQs sit unread: a reader-idle
     * event then says nothing about the client, so it must not end the connection as a keep-alive
     * timeout.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && hasWaiting()) {
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
        releaseWaiting();
        ctx.fireChannelInactive();
    }
}
