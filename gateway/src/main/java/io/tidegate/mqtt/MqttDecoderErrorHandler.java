package io.tidegate.mqtt;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;

/**
 * Checks the decoder's verdict before anything else sees a packet: netty-codec-mqtt reports a bad
 * packet as a message whose {@code decoderResult()} failed. Each failure is answered with the code
 * the specification asks for, then the connection is closed.
 */
@ChannelHandler.Sharable
final class MqttDecoderErrorHandler extends ChannelInboundHandlerAdapter {

    private final MqttDisconnector disconnector;

    MqttDecoderErrorHandler(MqttDisconnector disconnector) {
        this.disconnector = disconnector;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttMessage message) || message.decoderResult().isSuccess()) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            Throwable cause = message.decoderResult().cause();
            MqttConnection connection = MqttConnection.of(ctx.channel());
            MqttVersion version = MqttServerContext.versionOf(ctx.channel());
            if (connection == null) {
                refuseConnect(ctx, cause, version);
            } else {
                disconnect(ctx, cause, version, connection.clientId());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void refuseConnect(ChannelHandlerContext ctx, Throwable cause, MqttVersion version) {
        boolean v5 = version == MqttVersion.MQTT_5;
        if (cause instanceof MqttUnacceptableProtocolVersionException) {
            // [MQTT-3.1.2-2]: answer 0x01 in the 3.1.1 format, which every version can read.
            disconnector.refuseConnect(ctx.channel(), MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION,
                    "unsupported_protocol_version", null);
        } else if (cause instanceof MqttIdentifierRejectedException) {
            disconnector.refuseConnect(ctx.channel(), v5
                    ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
                    : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, "client_id_rejected", null);
        } else if (v5 && cause instanceof TooLongFrameException) {
            disconnector.refuseConnect(ctx.channel(), MqttConnectReturnCode.CONNECTION_REFUSED_PACKET_TOO_LARGE,
                    "packet_too_large", null);
        } else if (v5) {
            disconnector.refuseConnect(ctx.channel(), MqttConnectReturnCode.CONNECTION_REFUSED_MALFORMED_PACKET,
                    "malformed_packet", null);
        } else {
            disconnector.close(ctx.channel(), cause instanceof TooLongFrameException ? "packet_too_large"
                    : "malformed_packet", null);
        }
    }

    private void disconnect(ChannelHandlerContext ctx, Throwable cause, MqttVersion version, String clientId) {
        if (cause instanceof TooLongFrameException) {
            disconnector.disconnect(ctx.channel(), version, ReasonCodes.PACKET_TOO_LARGE, "packet_too_large", clientId);
        } else if (String.valueOf(cause.getMessage()).startsWith("invalid publish topic name")) {
            disconnector.disconnect(ctx.channel(), version, ReasonCodes.TOPIC_NAME_INVALID, "topic_name_invalid",
                    clientId);
        } else {
            disconnector.disconnect(ctx.channel(), version, ReasonCodes.MALFORMED_PACKET, "malformed_packet", clientId);
        }
    }
}
