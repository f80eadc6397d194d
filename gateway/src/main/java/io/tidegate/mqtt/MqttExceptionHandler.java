package io.tidegate.mqtt;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;

/**
 * Last in every pipeline: quiet about the ordinary (a peer resetting its connection, a TLS
 * handshake a client abandoned), loud about the unexpected, and always closes the connection.
 */
@ChannelHandler.Sharable
final class MqttExceptionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(MqttExceptionHandler.class);

    private final MqttDisconnector disconnector;

    MqttExceptionHandler(MqttDisconnector disconnector) {
        this.disconnector = disconnector;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        MqttConnection connection = MqttConnection.of(ctx.channel());
        String clientId = connection == null ? null : connection.clientId();
        if (cause instanceof IOException) {
            log.debug("connection error client={} remote={}: {}", clientId, ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        } else if (cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
            // The TLS handshake handler logs these once, with the reason.
            ctx.close();
        } else {
            log.warn("unexpected error client={} remote={}; closing the connection", clientId,
                    ctx.channel().remoteAddress(), cause);
            if (connection != null) {
                disconnector.disconnect(ctx.channel(), connection.version(), ReasonCodes.IMPLEMENTATION_SPECIFIC_ERROR,
                        "internal_error", clientId);
            } else {
                disconnector.close(ctx.channel(), "internal_error", null);
            }
        }
    }
}
