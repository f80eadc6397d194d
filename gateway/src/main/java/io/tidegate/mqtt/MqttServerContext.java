package io.tidegate.mqtt;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
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
    private final SessionRegistry sessions = new SessionRegistry();
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

    /** The protocol version of a channel: its session's, else what the decoder saw, else 3.1.1. */
    static MqttVersion versionOf(Channel channel) {
        MqttSession session = channel.attr(MqttSession.KEY).get();
        if (session != null) {
            return session.version();
        }
        MqttVersion decoded = channel.attr(CODEC_VERSION_KEY).get();
        return decoded == null ? MqttVersion.MQTT_3_1_1 : decoded;
    }

    /** Stops reading from every client (shutdown): no new PUBLISH enters the ring. */
    public void pauseAll() {
        for (MqttSession session : sessions.all()) {
            session.channel().eventLoop().execute(() -> session.channel().config().setAutoRead(false));
        }
    }

    /**
     * After the ring drained: lets each event loop write the acknowledgements already handed to it,
     * then disconnects every client with "server shutting down" (MQTT 5) or a close. Wills are not
     * sent: the clients did nothing wrong.
     */
    public void flushAndDisconnectAll() {
        List<Future<?>> done = new ArrayList<>();
        for (MqttSession session : sessions.all()) {
            done.add(session.channel().eventLoop().submit(() -> {
                session.cancelWill();
                disconnector.disconnect(session.channel(), session.version(), ReasonCodes.SERVER_SHUTTING_DOWN,
                        "server_shutting_down", session.clientId());
            }));
        }
        for (Future<?> future : done) {
            future.awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }
}
