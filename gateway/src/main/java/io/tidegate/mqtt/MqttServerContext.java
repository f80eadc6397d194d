package io.tidegate.mqtt;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.tidegate.config.MqttConfig;
import io.tidegate.mqtt.topic.SubscriptionTree;
import io.tidegate.pipeline.IngestRing;
import io.tidegate.security.Authorizer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What every MQTT connection shares: limits, the ring, the session registry, subscriptions,
 * authorization and meters. Built once by the gateway and handed to every channel.
 */
public final class MqttServerContext {

    /** The key under which netty-codec-mqtt keeps the protocol version it decoded from CONNECT. */
    private static final AttributeKey<MqttVersion> CODEC_VERSION_KEY = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");

    private final MqttConfig config;
    private final IngestRing ring;
    /** Session expiry and will delay timers: one thread, whatever the number of sessions. */
    private final DefaultEventExecutor sessionTimers =
            new DefaultEventExecutor(new DefaultThreadFactory("tidegate-sessions", true));
    private final SessionRegistry sessions;
    private final SubscriptionTree<MqttSession> subscriptions;
    private final RetainedMessages retained;
    private final SharedSubscriptions shared;
    private final Authorizer authorizer;
    private final MqttMetrics metrics;
    private final MqttDisconnector disconnector;

    public MqttServerContext(MqttConfig config, IngestRing ring, SubscriptionTree<MqttSession> subscriptions,
                             Authorizer authorizer, MeterRegistry registry) {
        this(config, ring, subscriptions, new RetainedMessages(), authorizer, registry);
    }

    /** @param retained the store the ack stage's {@link StoredMessageDispatcher} writes */
    public MqttServerContext(MqttConfig config, IngestRing ring, SubscriptionTree<MqttSession> subscriptions,
                             RetainedMessages retained, Authorizer authorizer, MeterRegistry registry) {
        this(config, ring, subscriptions, retained, new SharedSubscriptions(), authorizer, registry);
    }

    /** @param shared the shared subscriptions the ack stage's {@link StoredMessageDispatcher} delivers to */
    public MqttServerContext(MqttConfig config, IngestRing ring, SubscriptionTree<MqttSession> subscriptions,
                             RetainedMessages retained, SharedSubscriptions shared, Authorizer authorizer,
                             MeterRegistry registry) {
        this.shared = shared;
        this.config = config;
        this.ring = ring;
        this.subscriptions = subscriptions;
        this.retained = retained;
        Gauge.builder("tidegate.retained.messages", retained, RetainedMessages::size)
                .description("Topics with a retained message").register(registry);
        FunctionCounter.builder("tidegate.retained.refused", retained, RetainedMessages::refused)
                .description("Retained messages of new topics not kept: the store was full").register(registry);
        this.authorizer = authorizer;
        this.metrics = new MqttMetrics(registry);
        this.disconnector = new MqttDisconnector(metrics);
        this.sessions = new SessionRegistry(this, sessionTimers);
        Gauge.builder("tidegate.sessions", sessions, SessionRegistry::size)
                .description("MQTT sessions, connected or offline").register(registry);
        Gauge.builder("tidegate.sessions.offline", sessions, SessionRegistry::offline)
                .description("Sessions kept for clients that are offline (Session Expiry Interval > 0)")
                .register(registry);
        Gauge.builder("tidegate.sessions.queued.messages", sessions, SessionRegistry::queuedMessages)
                .description("Messages sessions hold for their clients: offline, or behind a full window")
                .register(registry);
    }

    public MqttConfig config() {
        return config;
    }

    public IngestRing ring() {
        return ring;
    }

    public SessionRegistry sessions() {
        return sessions;
    }

    public SubscriptionTree<MqttSession> subscriptions() {
        return subscriptions;
    }

    public RetainedMessages retained() {
        return retained;
    }

    public SharedSubscriptions shared() {
        return shared;
    }

    public Authorizer authorizer() {
        return authorizer;
    }

    public MqttMetrics metrics() {
        return metrics;
    }

    public MqttDisconnector disconnector() {
        return disconnector;
    }

    /** The protocol version of a channel: its connection's, else what the decoder saw, else 3.1.1. */
    static MqttVersion versionOf(Channel channel) {
        MqttConnection connection = MqttConnection.of(channel);
        if (connection != null) {
            return connection.version();
        }
        MqttVersion decoded = channel.attr(CODEC_VERSION_KEY).get();
        return decoded == null ? MqttVersion.MQTT_3_1_1 : decoded;
    }

    /** Stops reading from every client (shutdown): no new PUBLISH enters the ring. */
    public void pauseAll() {
        for (MqttConnection connection : sessions.connections()) {
            connection.channel().eventLoop().execute(() -> connection.channel().config().setAutoRead(false));
        }
    }

    /**
     * After the ring drained: lets each event loop write the acknowledgements already handed to it,
     * then disconnects every client with "server shutting down" (MQTT 5) or a close. Wills are not
     * sent: the clients did nothing wrong. Sessions that outlive their connection stay, offline.
     */
    public void flushAndDisconnectAll() {
        List<Future<?>> done = new ArrayList<>();
        for (MqttConnection connection : sessions.connections()) {
            done.add(connection.channel().eventLoop().submit(() -> {
                connection.cancelWill();
                disconnector.disconnect(connection.channel(), connection.version(), ReasonCodes.SERVER_SHUTTING_DOWN,
                        "server_shutting_down", connection.clientId());
            }));
        }
        for (Future<?> future : done) {
            future.awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }

    /** Stops the session timers (after the event loops, so no connection detaches any more). */
    public void close() {
        sessionTimers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
