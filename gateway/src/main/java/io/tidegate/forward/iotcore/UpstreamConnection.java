package io.tidegate.forward.iotcore;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import io.netty.util.concurrent.ScheduledFuture;
import io.tidegate.config.IotCoreConfig;
import io.tidegate.forward.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One MQTT 5 client connection to IoT Core under its own client id. It reconnects by itself with
 * exponential backoff and never more than once a second (IoT Core's connect limit per client id),
 * publishes what the destination hands it with QoS 1, and reports each PUBACK, each publish lost
 * with the connection, and each publish unanswered for {@code ackTimeoutSeconds} (which closes the
 * connection) as a {@link PublishOutcome}. The connection taking downstream subscriptions keeps an
 * upstream session, so commands sent while it was away arrive when it is back.
 *
 * <p>Channel state is confined to the connection's event loop; the forwarder thread reads only the
 * volatile {@link #isConnected()}, {@link #window()} and the in-flight count, and hands publishes
 * over with {@link #send}.
 */
final class UpstreamConnection {

    private static final Logger log = LoggerFactory.getLogger(UpstreamConnection.class);
    private static final long MIN_CONNECT_INTERVAL_MS = 1000;
    private static final long MAX_RECONNECT_DELAY_MS = 30_000;
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    /** IoT Core's payload limit is 128 KiB; room for topic and properties on top. */
    private static final int MAX_INCOMING_PACKET_BYTES = 128 * 1024 + 4096;
    /** How long IoT Core keeps the downstream session (and the commands queued in it) while away. */
    private static final int DOWNSTREAM_SESSION_EXPIRY_SECONDS = 3600;

    /** One publish handed to the connection. */
    record Outgoing(long write, int position, String topic, byte[] payload) {
    }

    private record Pending(long write, int position, long sentNanos) {
    }

    private record Incoming(int packetId, int qos, String topic, byte[] payload) {
    }

    private final String clientId;
    private final IotCoreConfig config;
    private final SslContext ssl;
    private final EventLoop loop;
    private final List<String> downstream;
    private final DownstreamSink sink;
    private final Consumer<PublishOutcome> outcomes;
    private final PublishLimiter limiter;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile int window;
    private volatile boolean connected;
    private volatile boolean closed;
    private volatile String lastError = "not connected yet";

    // Event-loop confined.
    private Channel channel;
    private final IntObjectMap<Pending> pending = new IntObjectHashMap<>();
    private final ArrayDeque<Incoming> incoming = new ArrayDeque<>();
    private int nextPacketId;
    private long lastConnectNanos;
    private int failedConnects;
    private ScheduledFuture<?> ackTimer;

    UpstreamConnection(String clientId, IotCoreConfig config, SslContext ssl, EventLoop loop, List<String> downstream,
                       DownstreamSink sink, Consumer<PublishOutcome> outcomes, long nowNanos) {
        this.clientId = clientId;
        this.config = config;
        this.ssl = ssl;
        this.loop = loop;
        this.downstream = List.copyOf(downstream);
        this.sink = sink;
        this.outcomes = outcomes;
        this.limiter = new PublishLimiter(config.maxPublishesPerSecond(), config.maxBytesPerSecond(), nowNanos);
        this.window = config.maxInFlight();
    }

    void start() {
        loop.execute(this::connect);
    }

    String clientId() {
        return clientId;
    }

    boolean isConnected() {
        return connected;
    }

    String lastError() {
        return lastError;
    }

    /** Publishes without a PUBACK yet. */
    int inFlight() {
        return inFlight.get();
    }

    /** Unacknowledged publishes allowed: the configured maximum or the server's Receive Maximum. */
    int window() {
        return window;
    }

    /** The send budget; used by the forwarder thread only. */
    PublishLimiter limiter() {
        return limiter;
    }

    /** Hands publishes over to the event loop; each is reported back exactly once. */
    void send(List<Outgoing> publishes) {
        inFlight.addAndGet(publishes.size());
        loop.execute(() -> write(publishes));
    }

    /** Disconnects (reason 0x00) and stops reconnecting; waits for the channel to close. */
    void close() {
        closed = true;
        try {
            loop.submit(() -> {
                if (channel != null && channel.isActive()) {
                    channel.writeAndFlush(MqttMessageBuilders.disconnect().reasonCode((byte) 0).build());
                    return channel.close();
                }
                return null;
            }).sync().getNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.debug("closing upstream connection {}", clientId, e);
        }
    }

    private void connect() {
        if (closed) {
            return;
        }
        lastConnectNanos = System.nanoTime();
        new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler tls = ssl.newHandler(ch.alloc(), config.endpoint(), config.port());
                        SSLEngine engine = tls.engine();
                        SSLParameters parameters = engine.getSSLParameters();
                        parameters.setEndpointIdentificationAlgorithm("HTTPS");
                        engine.setSSLParameters(parameters);
                        int keepAlive = config.keepAliveSeconds();
                        ch.pipeline().addLast("tls", tls)
                                .addLast("decoder", new MqttDecoder(MAX_INCOMING_PACKET_BYTES))
                                .addLast("encoder", MqttEncoder.INSTANCE)
                                .addLast("idle", new IdleStateHandler(keepAlive * 3L / 2, keepAlive, 0, TimeUnit.SECONDS))
                                .addLast("upstream", new Handler());
                    }
                })
                .connect(config.endpoint(), config.port())
                .addListener(future -> {
                    if (!future.isSuccess()) {
                        lastError = "cannot connect to " + config.endpoint() + ":" + config.port() + ": "
                                + future.cause().getMessage();
                        reconnectLater();
                    }
                });
    }

    private void reconnectLater() {
        if (closed) {
            return;
        }
        failedConnects++;
        long sinceLast = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastConnectNanos);
        long delay = reconnectDelayMs(failedConnects, sinceLast, ThreadLocalRandom.current().nextDouble());
        if (failedConnects == 1 || failedConnects % 10 == 0) {
            log.warn("upstream connection {} down ({}); reconnecting in {} ms", clientId, lastError, delay);
        }
        loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    /**
     * The wait before connect attempt number {@code failedConnects + 1}: exponential from 1 s up to
     * 30 s, jittered into its upper half by {@code random} in [0, 1), and never sooner than a second
     * after the previous attempt (IoT Core throttles client ids that connect faster).
     */
    static long reconnectDelayMs(int failedConnects, long sinceLastConnectMs, double random) {
        long backoff = Math.min(MAX_RECONNECT_DELAY_MS, MIN_CONNECT_INTERVAL_MS << Math.min(failedConnects - 1, 10));
        long jittered = backoff / 2 + (long) (random * (backoff - backoff / 2));
        return Math.max(jittered, MIN_CONNECT_INTERVAL_MS - sinceLastConnectMs);
    }

    private void write(List<Outgoing> publishes) {
        if (channel == null || !connected) {
            publishes.forEach(p -> report(new PublishOutcome(p.write(), p.position(), WriteResult.Outcome.RETRIABLE,
                    "upstream connection " + clientId + " is down: " + lastError)));
            return;
        }
        long now = System.nanoTime();
        for (Outgoing p : publishes) {
            int packetId = nextPacketId();
            pending.put(packetId, new Pending(p.write(), p.position(), now));
            channel.write(MqttMessageBuilders.publish().topicName(p.topic()).qos(MqttQoS.AT_LEAST_ONCE)
                    .retained(false).messageId(packetId).payload(Unpooled.wrappedBuffer(p.payload())).build(),
                    channel.voidPromise());
        }
        channel.flush();
    }

    private int nextPacketId() {
        do {
            nextPacketId = nextPacketId == 0xFFFF ? 1 : nextPacketId + 1;
        } while (pending.containsKey(nextPacketId));
        return nextPacketId;
    }

    private void report(PublishOutcome outcome) {
        inFlight.decrementAndGet();
        outcomes.accept(outcome);
    }

    private void failPending(String reason) {
        for (Pending p : pending.values()) {
            report(new PublishOutcome(p.write(), p.position(), WriteResult.Outcome.RETRIABLE, reason));
        }
        pending.clear();
    }

    private void checkAckTimeouts() {
        long limit = TimeUnit.SECONDS.toNanos(config.ackTimeoutSeconds());
        long now = System.nanoTime();
        for (Pending p : pending.values()) {
            if (now - p.sentNanos() > limit) {
                lastError = "no PUBACK within " + config.ackTimeoutSeconds() + " s";
                log.warn("upstream connection {}: {}; reconnecting", clientId, lastError);
                if (channel != null) {
                    channel.close();
                }
                return;
            }
        }
    }

    /** Hands queued downstream messages to the sink in order; pauses reading while it refuses. */
    private void deliverIncoming(Channel ch) {
        if (!ch.isActive()) {
            return;
        }
        while (!incoming.isEmpty()) {
            Incoming message = incoming.peek();
            Runnable delivered = message.qos() == 0 ? () -> { } : () -> ch.eventLoop().execute(() -> {
                if (ch.isActive()) {
                    ch.writeAndFlush(MqttMessageBuilders.pubAck().packetId(message.packetId()).build());
                }
            });
            if (!sink.offer(clientId, message.topic(), message.payload(), message.qos(), delivered)) {
                ch.config().setAutoRead(false);
                ch.eventLoop().schedule(() -> deliverIncoming(ch), 5, TimeUnit.MILLISECONDS);
                return;
            }
            incoming.poll();
        }
        ch.config().setAutoRead(true);
    }

    private final class Handler extends ChannelInboundHandlerAdapter {

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            MqttProperties properties = new MqttProperties();
            boolean keepSession = !downstream.isEmpty();
            if (keepSession) {
                properties.add(new MqttProperties.IntegerProperty(
                        MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(),
                        DOWNSTREAM_SESSION_EXPIRY_SECONDS));
            }
            properties.add(new MqttProperties.IntegerProperty(
                    MqttProperties.MqttPropertyType.MAXIMUM_PACKET_SIZE.value(), MAX_INCOMING_PACKET_BYTES));
            ctx.writeAndFlush(MqttMessageBuilders.connect().clientId(clientId).protocolVersion(MqttVersion.MQTT_5)
                    .cleanSession(!keepSession).keepAlive(config.keepAliveSeconds()).properties(properties).build());
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                MqttMessage message = (MqttMessage) msg;
                if (message.decoderResult().isFailure()) {
                    lastError = "undecodable packet from server: " + message.decoderResult().cause().getMessage();
                    ctx.close();
                    return;
                }
                switch (message.fixedHeader().messageType()) {
                    case CONNACK -> onConnAck(ctx, (MqttConnAckMessage) message);
                    case PUBACK -> onPubAck(message);
                    case PUBLISH -> onPublish(ctx, (MqttPublishMessage) message);
                    case SUBACK -> onSubAck((MqttSubAckMessage) message);
                    case DISCONNECT -> lastError = "server disconnected" + reasonOf(message);
                    default -> {
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void onConnAck(ChannelHandlerContext ctx, MqttConnAckMessage connAck) {
            MqttConnectReturnCode code = connAck.variableHeader().connectReturnCode();
            if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                lastError = "CONNACK " + code;
                ctx.close();
                return;
            }
            MqttProperties.MqttProperty<?> receiveMaximum = connAck.variableHeader().properties()
                    .getProperty(MqttProperties.MqttPropertyType.RECEIVE_MAXIMUM.value());
            int serverWindow = receiveMaximum == null ? 65_535 : (Integer) receiveMaximum.value();
            window = Math.min(config.maxInFlight(), serverWindow);
            channel = ctx.channel();
            log.info("upstream connection {} connected to {}:{}", clientId, config.endpoint(), config.port());
            failedConnects = 0;
            lastError = null;
            ackTimer = ctx.executor().scheduleAtFixedRate(UpstreamConnection.this::checkAckTimeouts, 1, 1,
                    TimeUnit.SECONDS);
            if (downstream.isEmpty()) {
                connected = true;
                return;
            }
            // Up once the subscriptions are in place, so "connected" means commands can arrive.
            MqttMessageBuilders.SubscribeBuilder subscribe = MqttMessageBuilders.subscribe().messageId(nextPacketId());
            downstream.forEach(filter -> subscribe.addSubscription(MqttQoS.AT_LEAST_ONCE, filter));
            ctx.writeAndFlush(subscribe.build());
        }

        private void onPubAck(MqttMessage message) {
            Object header = message.variableHeader();
            int packetId = ((MqttMessageIdVariableHeader) header).messageId();
            int code = header instanceof MqttPubReplyMessageVariableHeader reply ? reply.reasonCode() & 0xFF : 0;
            Pending p = pending.remove(packetId);
            if (p != null) {
                report(PublishOutcome.fromReasonCode(p.write(), p.position(), code));
            }
        }

        private void onPublish(ChannelHandlerContext ctx, MqttPublishMessage publish) {
            incoming.add(new Incoming(publish.variableHeader().packetId(), publish.fixedHeader().qosLevel().value(),
                    publish.variableHeader().topicName(), ByteBufUtil.getBytes(publish.payload())));
            if (incoming.size() == 1) {
                deliverIncoming(ctx.channel());
            }
        }

        private void onSubAck(MqttSubAckMessage subAck) {
            connected = true;
            List<Integer> codes = subAck.payload().reasonCodes();
            for (int i = 0; i < codes.size() && i < downstream.size(); i++) {
                if (codes.get(i) >= 0x80) {
                    log.warn("upstream connection {}: subscription to {} refused with 0x{}", clientId,
                            downstream.get(i), Integer.toHexString(codes.get(i)));
                }
            }
        }

        private String reasonOf(MqttMessage message) {
            return message.variableHeader() instanceof io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader h
                    ? String.format(" with reason 0x%02X", h.reasonCode() & 0xFF) : "";
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent idle) {
                if (idle.state() == IdleState.WRITER_IDLE) {
                    ctx.writeAndFlush(new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGREQ, false,
                            MqttQoS.AT_MOST_ONCE, false, 0)));
                } else if (idle.state() == IdleState.READER_IDLE) {
                    lastError = "nothing from the server for 1.5 keep-alive periods";
                    ctx.close();
                }
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            lastError = cause.getMessage() == null ? cause.toString() : cause.getMessage();
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            connected = false;
            if (channel == ctx.channel()) {
                channel = null;
            }
            if (ackTimer != null) {
                ackTimer.cancel(false);
                ackTimer = null;
            }
            incoming.clear();
            if (lastError == null) {
                lastError = "connection closed by the server";
            }
            failPending("upstream connection " + clientId + " lost: " + lastError);
            reconnectLater();
        }
    }
}
