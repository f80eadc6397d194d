package io.tidegate.mqtt;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rest of the protocol: PINGREQ, DISCONNECT, the client's acknowledgements of our deliveries
 * (PUBACK, PUBREC, PUBCOMP), keep-alive and connect timeouts, and packets a client must not send.
 * Stateless: per-connection state lives in the session.
 */
@ChannelHandler.Sharable
final class MqttControlHandler extends ChannelInboundHandlerAdapter {

    private static final Logger events = LoggerFactory.getLogger("tidegate.event");
    private static final MqttMessage PINGRESP =
            new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0));

    private final MqttServerContext server;

    MqttControlHandler(MqttServerContext server) {
        this.server = server;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttMessage message)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            MqttConnection connection = MqttConnection.of(ctx.channel());
            MqttSession session = connection.session();
            switch (message.fixedHeader().messageType()) {
                case PINGREQ -> ctx.writeAndFlush(PINGRESP);
                case DISCONNECT -> onDisconnect(ctx, connection, message);
                case PUBACK, PUBCOMP -> session.deliveryCompleted(connection, packetId(message));
                case PUBREC -> session.deliveryReceived(connection, packetId(message), reasonCode(message));
                case AUTH -> server.disconnector().disconnect(ctx.channel(), connection.version(),
                        ReasonCodes.PROTOCOL_ERROR, "auth_not_supported", connection.clientId());
                default -> server.disconnector().disconnect(ctx.channel(), connection.version(),
                        ReasonCodes.PROTOCOL_ERROR,
                        "unexpected_" + message.fixedHeader().messageType().name().toLowerCase(), connection.clientId());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private static int packetId(MqttMessage message) {
        return ((MqttMessageIdVariableHeader) message.variableHeader()).messageId();
    }

    /** The reason code of an MQTT 5 PUBACK/PUBREC/PUBCOMP; 0 (success) when absent or in MQTT 3.1.1. */
    private static byte reasonCode(MqttMessage message) {
        return message.variableHeader() instanceof MqttPubReplyMessageVariableHeader reply ? reply.reasonCode() : 0;
    }

    private void onDisconnect(ChannelHandlerContext ctx, MqttConnection connection, MqttMessage message) {
        byte reason = 0;
        if (message.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader header) {
            reason = header.reasonCode();
            MqttProperties.MqttProperty<?> expiry = header.properties()
                    .getProperty(MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value());
            if (expiry != null && !updateExpiry(ctx, connection, Integer.toUnsignedLong((Integer) expiry.value()))) {
                return;
            }
        }
        if (reason != ReasonCodes.DISCONNECT_WITH_WILL) {
            // [MQTT-3.14.4-3]: a normal DISCONNECT discards the will.
            connection.cancelWill();
        }
        events.info("disconnect by client client={} reason={}", connection.clientId(), ReasonCodes.hex(reason));
        ctx.close();
    }

    /**
     * A Session Expiry Interval in DISCONNECT replaces the one from CONNECT (3.14.2.2.2), capped like
     * it; raising it from 0 is a Protocol Error, answered as one (so the will is published).
     */
    private boolean updateExpiry(ChannelHandlerContext ctx, MqttConnection connection, long requested) {
        if (connection.connectSessionExpirySeconds() == 0 && requested != 0) {
            server.disconnector().disconnect(ctx.channel(), connection.version(), ReasonCodes.PROTOCOL_ERROR,
                    "session_expiry_raised_from_zero", connection.clientId());
            return false;
        }
        server.sessions().updateExpiry(connection.session(),
                Math.min(requested, server.config().maxSessionExpirySeconds()));
        return true;
    }

    /** Deliveries held back while the socket was full go out once it drains. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        MqttConnection connection = MqttConnection.of(ctx.channel());
        if (connection != null && ctx.channel().isWritable()) {
            connection.session().sendWaiting(connection);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            MqttConnection connection = MqttConnection.of(ctx.channel());
            if (connection == null) {
                server.disconnector().close(ctx.channel(), "connect_timeout", null);
            } else {
                server.disconnector().disconnect(ctx.channel(), connection.version(), ReasonCodes.KEEP_ALIVE_TIMEOUT,
                        "keep_alive_timeout", connection.clientId());
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }
}
