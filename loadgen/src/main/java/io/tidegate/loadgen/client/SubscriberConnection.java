package io.tidegate.loadgen.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.tidegate.loadgen.metrics.RunMetrics;
import io.tidegate.loadgen.payload.SentTimestamps;

import java.util.concurrent.CompletableFuture;

/**
 * The subscriber that measures publish-to-delivery latency: subscribes to the fleet's topics and,
 * for each delivery, subtracts the payload's {@code sentAtUs} (the intended send time) from now.
 * {@link #subscribed()} completes at SUBACK, before the fleet starts publishing.
 */
public final class SubscriberConnection extends SimpleChannelInboundHandler<MqttMessage> {

    private final FleetContext fleet;
    private final RunMetrics metrics;
    private final String clientId;
    private final String topicFilter;
    private final CompletableFuture<Void> subscribed = new CompletableFuture<>();

    public SubscriberConnection(FleetContext fleet, String clientId, String topicFilter) {
        this.fleet = fleet;
        this.metrics = fleet.metrics;
        this.clientId = clientId;
        this.topicFilter = topicFilter;
    }

    public CompletableFuture<Void> subscribed() {
        return subscribed;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(MqttConnects.device(fleet.spec, clientId), ctx.voidPromise());
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
        if (msg.decoderResult().isFailure()) {
            fail(ctx, "malformed packet from broker: " + msg.decoderResult().cause());
            return;
        }
        switch (msg.fixedHeader().messageType()) {
            case CONNACK -> {
                MqttConnectReturnCode code = ((MqttConnAckMessage) msg).variableHeader().connectReturnCode();
                if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                    fail(ctx, "subscriber CONNACK " + code);
                    return;
                }
                ctx.writeAndFlush(MqttMessageBuilders.subscribe().messageId(1)
                        .addSubscription(fleet.qos, topicFilter).build(), ctx.voidPromise());
            }
            case SUBACK -> {
                int granted = ((MqttSubAckMessage) msg).payload().reasonCodes().get(0);
                if (granted >= 0x80) {
                    fail(ctx, String.format("subscription to %s refused (0x%02X)", topicFilter, granted));
                } else {
                    subscribed.complete(null);
                }
            }
            case PUBLISH -> onPublish(ctx, (MqttPublishMessage) msg);
            case PUBREL -> ctx.writeAndFlush(MqttAcks.pubComp(((MqttMessageIdVariableHeader) msg.variableHeader()).messageId()),
                    ctx.voidPromise());
            default -> {
            }
        }
    }

    private void onPublish(ChannelHandlerContext ctx, MqttPublishMessage msg) {
        long now = fleet.clock.nanoTime();
        long sentAtMicros = SentTimestamps.find(msg.payload());
        metrics.delivered.increment();
        metrics.lastCompletionNanos.accumulate(now);
        if (sentAtMicros >= 0) {
            metrics.deliveryLatency.recordMicros(fleet.clock.epochMicros(now) - sentAtMicros);
        }
        int packetId = msg.variableHeader().packetId();
        if (msg.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
            ctx.writeAndFlush(MqttAcks.pubAck(packetId), ctx.voidPromise());
        } else if (msg.fixedHeader().qosLevel() == MqttQoS.EXACTLY_ONCE) {
            ctx.writeAndFlush(MqttAcks.pubRec(packetId), ctx.voidPromise());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.writeAndFlush(MqttMessage.PINGREQ, ctx.voidPromise());
        } else if (evt instanceof SslHandshakeCompletionEvent handshake) {
            if (fleet.tls != null) {
                fleet.tls.handshakeFinished(ctx.pipeline().get(SslHandler.class).engine());
            }
            if (!handshake.isSuccess()) {
                fail(ctx, "subscriber TLS handshake failed: " + handshake.cause());
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, "subscriber: " + cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!fleet.closing()) {
            metrics.error("subscriber connection lost");
        }
        subscribed.completeExceptionally(new IllegalStateException("subscriber connection closed before SUBACK"));
        ctx.fireChannelInactive();
    }

    private void fail(ChannelHandlerContext ctx, String reason) {
        subscribed.completeExceptionally(new IllegalStateException(reason));
        ctx.close();
    }
}
