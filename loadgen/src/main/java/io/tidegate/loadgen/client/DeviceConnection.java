package io.tidegate.loadgen.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.tidegate.loadgen.metrics.RunMetrics;
import io.tidegate.loadgen.payload.PayloadTemplate;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One simulated device: connects, publishes on its schedule (or as fast as its in-flight window
 * allows), tracks acknowledgements, and records connect and publish latencies. One instance per
 * connection, touched only by that connection's event loop; its state is a few fields and the
 * window's two arrays, so 100,000 of them fit easily.
 */
public final class DeviceConnection extends SimpleChannelInboundHandler<MqttMessage> {

    /** Publishes written per turn before yielding the event loop to other connections. */
    private static final int MAX_WRITES_PER_TURN = 64;

    private final FleetContext fleet;
    private final RunMetrics metrics;
    private final String deviceId;
    private final byte[] deviceIdBytes;
    private final String topic;
    private final long[] templateState;
    private final InFlightWindow window;
    private final int deviceIndex;
    private final long connectStartNanos;
    private final Runnable pumpTask = this::pump;
    private final Runnable timerTask = this::onTimer;

    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> connectTimeout;
    /** Set at CONNACK when the run has a rate; null publishes as fast as the window allows. */
    private PublishPacer pacer;
    private long seq;
    private boolean connected;
    private boolean connectSettled;
    private boolean timerArmed;
    private boolean done;
    private boolean errorCounted;

    public DeviceConnection(FleetContext fleet, int deviceIndex, long connectStartNanos) {
        this.fleet = fleet;
        this.metrics = fleet.metrics;
        this.deviceIndex = deviceIndex;
        this.deviceId = fleet.spec.deviceId(deviceIndex);
        this.deviceIdBytes = deviceId.getBytes(StandardCharsets.UTF_8);
        this.topic = fleet.spec.topic().topicFor(deviceId);
        this.templateState = fleet.spec.payload().newDeviceState();
        this.window = fleet.spec.qos() > 0 ? new InFlightWindow(fleet.spec.inFlight()) : null;
        this.connectStartNanos = connectStartNanos;
    }

    public String deviceId() {
        return deviceId;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        long timeoutNanos = fleet.spec.connectTimeout().toNanos() - (fleet.clock.nanoTime() - connectStartNanos);
        connectTimeout = ctx.executor().schedule(this::onConnectTimeout, Math.max(1, timeoutNanos), TimeUnit.NANOSECONDS);
        // Queued by the SslHandler until its handshake is done.
        ctx.writeAndFlush(MqttConnects.device(fleet.spec, deviceId), ctx.voidPromise());
        ctx.fireChannelActive();
    }

    private void onConnectTimeout() {
        if (!connected) {
            countError("connect timeout");
            ctx.close();
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
        if (msg.decoderResult().isFailure()) {
            countError("malformed packet from broker");
            ctx.close();
            return;
        }
        switch (msg.fixedHeader().messageType()) {
            case CONNACK -> onConnAck((MqttConnAckMessage) msg);
            case PUBACK -> onPubAck(msg);
            case PUBREC -> onPubRec(msg);
            case PUBCOMP -> onPubComp(msg);
            case DISCONNECT -> onServerDisconnect(msg);
            case PUBLISH -> onUnexpectedPublish((MqttPublishMessage) msg);
            default -> {
                // PINGRESP, and anything else a broker may send a publisher, needs no action.
            }
        }
    }

    private void onConnAck(MqttConnAckMessage msg) {
        MqttConnectReturnCode code = msg.variableHeader().connectReturnCode();
        if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            countError(String.format("connack 0x%02X", code.byteValue() & 0xFF));
            ctx.close();
            return;
        }
        cancelConnectTimeout();
        connected = true;
        settleConnect();
        metrics.connectionUp();
        metrics.connectLatency.recordNanos(fleet.clock.nanoTime() - connectStartNanos);
        if (window != null && fleet.spec.mqtt5()) {
            MqttProperties.MqttProperty<?> receiveMaximum = msg.variableHeader().properties()
                    .getProperty(MqttProperties.MqttPropertyType.RECEIVE_MAXIMUM.value());
            if (receiveMaximum != null && receiveMaximum.value() instanceof Integer max) {
                window.limitTo(max);
            }
        }
        if (fleet.spec.paced()) {
            pacer = PublishPacer.forDevice(fleet.clock.nanoTime(), fleet.spec.ratePerDevice(), deviceIndex);
        }
        pump();
    }

    private void onPubAck(MqttMessage msg) {
        int packetId = packetId(msg);
        int reason = reasonCode(msg);
        complete(packetId, reason, "puback");
    }

    private void onPubRec(MqttMessage msg) {
        int packetId = packetId(msg);
        int reason = reasonCode(msg);
        if (reason >= 0x80 || window == null || !window.contains(packetId)) {
            complete(packetId, reason, "pubrec");
            return;
        }
        ctx.writeAndFlush(MqttAcks.pubRel(packetId), ctx.voidPromise());
    }

    private void onPubComp(MqttMessage msg) {
        complete(packetId(msg), reasonCode(msg), "pubcomp");
    }

    /** The end of one publish's handshake: PUBACK (QoS 1), PUBCOMP (QoS 2), or a refusal. */
    private void complete(int packetId, int reason, String packet) {
        long intended = window == null ? -1 : window.release(packetId);
        if (intended < 0) {
            countError("unexpected " + packet);
            return;
        }
        fleet.outstanding.decrement();
        long now = fleet.clock.nanoTime();
        if (reason >= 0x80) {
            metrics.error(String.format("%s 0x%02X", packet, reason));
        } else {
            metrics.acked.increment();
            metrics.ackLatency.recordNanos(now - intended);
            metrics.lastCompletionNanos.accumulate(now);
        }
        pump();
    }

    private void onServerDisconnect(MqttMessage msg) {
        int reason = reasonCode(msg);
        countError(String.format("server disconnect 0x%02X", Math.max(reason, 0)));
        ctx.close();
    }

    private void onUnexpectedPublish(MqttPublishMessage msg) {
        // A device that subscribes is not simulated; acknowledge so the broker does not stall.
        int packetId = msg.variableHeader().packetId();
        if (msg.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
            ctx.writeAndFlush(MqttAcks.pubAck(packetId), ctx.voidPromise());
        } else if (msg.fixedHeader().qosLevel() == MqttQoS.EXACTLY_ONCE) {
            ctx.writeAndFlush(MqttAcks.pubRec(packetId), ctx.voidPromise());
        }
    }

    private void onTimer() {
        timerArmed = false;
        pump();
    }

    /**
     * Sends whatever is due: with a rate, every message whose intended time has come (catching up
     * after a stall); without one, as many as the window takes. Stops at a full window (resumed by
     * an ack), an unwritable channel (resumed by writability), or the schedule (resumed by a timer).
     */
    void pump() {
        if (!connected || done) {
            return;
        }
        long limit = fleet.spec.messagesPerDevice();
        int written = 0;
        long now = fleet.clock.nanoTime();
        while (true) {
            if (!fleet.publishing() || (limit > 0 && seq >= limit)) {
                if (window == null || window.isEmpty()) {
                    markDone();
                }
                break;
            }
            if (written == MAX_WRITES_PER_TURN) {
                ctx.executor().execute(pumpTask);
                break;
            }
            if (!ctx.channel().isWritable()) {
                break;
            }
            long intended = now;
            if (pacer != null) {
                if (!pacer.isDue(now)) {
                    armTimer(pacer.nextIntendedNanos() - now);
                    break;
                }
                intended = pacer.nextIntendedNanos();
            }
            int packetId = 0;
            if (window != null) {
                packetId = window.acquire(intended);
                if (packetId == 0) {
                    break;
                }
            }
            if (pacer != null) {
                pacer.advance();
            }
            publish(packetId, intended, now);
            written++;
        }
        if (written > 0) {
            ctx.flush();
        }
    }

    private void publish(int packetId, long intendedNanos, long now) {
        seq++;
        PayloadTemplate template = fleet.spec.payload();
        ByteBuf payload = ctx.alloc().buffer(template.sizeHint(deviceIdBytes.length));
        template.render(payload, deviceIdBytes, seq, fleet.clock.epochMicros(intendedNanos), templateState);
        metrics.payloadBytes.add(payload.readableBytes());
        MqttPublishVariableHeader header = fleet.spec.mqtt5()
                ? new MqttPublishVariableHeader(topic, packetId, MqttProperties.NO_PROPERTIES)
                : new MqttPublishVariableHeader(topic, packetId);
        ctx.write(new MqttPublishMessage(fleet.publishHeader, header, payload), ctx.voidPromise());
        metrics.sent.increment();
        metrics.firstSendNanos.accumulate(now);
        if (pacer != null) {
            metrics.sendLag.recordNanos(now - intendedNanos);
        }
        if (window != null) {
            fleet.outstanding.increment();
        } else {
            metrics.lastCompletionNanos.accumulate(now);
        }
    }

    private void armTimer(long delayNanos) {
        if (!timerArmed) {
            timerArmed = true;
            ctx.executor().schedule(timerTask, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            pump();
        }
        ctx.fireChannelWritabilityChanged();
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
                countError(ConnectionErrors.kindOf(handshake.cause()));
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!fleet.closing()) {
            countError(ConnectionErrors.kindOf(cause));
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelConnectTimeout();
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (fleet.tls != null && ssl != null) {
            fleet.tls.handshakeFinished(ssl.engine());
        }
        if (connected) {
            metrics.connectionDown();
        } else if (!errorCounted && !fleet.closing()) {
            countError("closed before CONNACK");
        }
        if (window != null && !window.isEmpty() && !fleet.closing()) {
            // Never acknowledged: the report counts them as unacknowledged.
            fleet.outstanding.add(-window.size());
            fleet.lostInFlight.add(window.size());
            countError("connection lost with unacknowledged publishes");
        } else if (connected && !done && !fleet.closing() && !errorCounted) {
            countError("connection lost");
        }
        settleConnect();
        markDone();
        ctx.fireChannelInactive();
    }

    /** Counts one error for this connection; later consequences of the same failure are not counted again. */
    private void countError(String kind) {
        if (!errorCounted) {
            errorCounted = true;
            metrics.error(kind);
        }
    }

    private void settleConnect() {
        if (!connectSettled) {
            connectSettled = true;
            fleet.pendingConnects.decrementAndGet();
        }
    }

    private void markDone() {
        if (!done) {
            done = true;
            fleet.doneDevices.incrementAndGet();
        }
    }

    private void cancelConnectTimeout() {
        if (connectTimeout != null) {
            connectTimeout.cancel(false);
            connectTimeout = null;
        }
    }

    private static int packetId(MqttMessage msg) {
        return msg.variableHeader() instanceof MqttMessageIdVariableHeader id ? id.messageId() : -1;
    }

    /** MQTT 5 reason code of an acknowledgement; 0 (success) for MQTT 3.1.1, which has none. */
    private static int reasonCode(MqttMessage msg) {
        Object header = msg.variableHeader();
        if (header instanceof MqttPubReplyMessageVariableHeader reply) {
            return reply.reasonCode() & 0xFF;
        }
        if (header instanceof io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader rc) {
            return rc.reasonCode() & 0xFF;
        }
        return 0;
    }
}
