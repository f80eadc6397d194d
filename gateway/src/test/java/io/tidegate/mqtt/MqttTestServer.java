package io.tidegate.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.tidegate.config.AuthorizationConfig;
import io.tidegate.config.MqttConfig;
import io.tidegate.config.OutboxConfig;
import io.tidegate.config.PipelineConfig;
import io.tidegate.config.TopicPolicyConfig;
import io.tidegate.mqtt.topic.SubscriptionTree;
import io.tidegate.outbox.MessageProperties;
import io.tidegate.outbox.Outbox;
import io.tidegate.outbox.OutboxEntry;
import io.tidegate.outbox.OutboxReader;
import io.tidegate.outbox.Outboxes;
import io.tidegate.pipeline.IngestEventWriter;
import io.tidegate.pipeline.IngestRing;
import io.tidegate.pipeline.Router;
import io.tidegate.security.Authorizer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The gateway's MQTT layer as the gateway wires it — real outbox (in a temporary directory), real
 * ingest ring routing everything to it, real {@link StoredMessageDispatcher}, real
 * {@link MqttServerContext} and {@link MqttPipeline} — with {@code EmbeddedChannel}s for
 * connections. The one difference: acknowledgements reach the channels on the test thread (see
 * {@link TestThreadHandOver}).
 */
final class MqttTestServer implements AutoCloseable {

    static final String DESTINATION = "test";
    static final MqttConfig LIMITS = limits(4096, 32, 16);
    /** Anonymous devices may publish under {@code dt/<their client id>/} and subscribe anywhere under {@code dt/}. */
    static final AuthorizationConfig POLICY = new AuthorizationConfig("device", "device", false, Map.of(),
            Map.of("device", new TopicPolicyConfig(List.of("dt/${clientid}/#"), List.of("dt/#"))));
    static final String SYNC_TOPIC = "dt/sync/marker";

    private static final ListenerContext LISTENER = new ListenerContext("test", true, null);
    private static final int RING_SIZE = 64;
    private static final String PROBE_TOPIC = "$probe";
    private static final Router TO_OUTBOX = Router.always(0);
    /** {@link #TO_OUTBOX}, except for the start-up probe, which goes nowhere. */
    private static final Router ALWAYS_OUTBOX_BUT_PROBE = event -> {
        if (!PROBE_TOPIC.equals(event.topic())) {
            TO_OUTBOX.route(event);
        }
    };
    private static final IngestEventWriter<Object, Object> PROBE = (event, a, b) -> {
        event.set(null, 0, 0, false, "probe", PROBE_TOPIC, MessageProperties.NONE, System.currentTimeMillis(),
                System.nanoTime());
        event.payloadBuffer(0);
    };

    private final Path dataDir;
    private final MeterRegistry registry;
    private final Outboxes outboxes;
    private final IngestRing ring;
    private final TestThreadHandOver acks;
    private final MqttServerContext context;
    private final MqttPipeline pipeline;
    private final List<MqttTestClient> clients = new ArrayList<>();

    private MqttTestServer(Path dataDir, MeterRegistry registry, Outboxes outboxes, IngestRing ring,
                           TestThreadHandOver acks, MqttServerContext context) {
        this.dataDir = dataDir;
        this.registry = registry;
        this.outboxes = outboxes;
        this.ring = ring;
        this.acks = acks;
        this.context = context;
        this.pipeline = new MqttPipeline(context);
    }

    static MqttConfig limits(int maxPacketSizeBytes, int maxClientIdLength, int receiveMaximum) {
        return new MqttConfig(maxPacketSizeBytes, maxClientIdLength, 10, 0, receiveMaximum);
    }

    static MqttTestServer start(Path dataDir) {
        return start(dataDir, LIMITS);
    }

    static MqttTestServer start(Path dataDir, MqttConfig limits) {
        return start(dataDir, limits, POLICY);
    }

    static MqttTestServer start(Path dataDir, MqttConfig limits, AuthorizationConfig authorization) {
        return start(dataDir, limits, authorization, () -> true);
    }

    /** @param admission the gateway's outbox-full check: false holds QoS 1/2 back and drops QoS 0 */
    static MqttTestServer start(Path dataDir, MqttConfig limits, AuthorizationConfig authorization,
                                java.util.function.BooleanSupplier admission) {
        Outboxes outboxes = Outboxes.open(dataDir, List.of(DESTINATION), new OutboxConfig(null));
        MeterRegistry registry = new SimpleMeterRegistry();
        SubscriptionTree<MqttSession> subscriptions = new SubscriptionTree<>();
        RetainedMessages retained = new RetainedMessages();
        SharedSubscriptions shared = new SharedSubscriptions();
        TestThreadHandOver acks = new TestThreadHandOver(new StoredMessageDispatcher(subscriptions, retained, shared));
        IngestRing ring = new IngestRing(new PipelineConfig(RING_SIZE, PipelineConfig.WaitStrategy.BLOCKING),
                new OutboxConfig(null), outboxes.all(), ALWAYS_OUTBOX_BUT_PROBE, acks, registry, admission);
        ring.start();
        awaitStagesRunning(ring);
        MqttServerContext context = new MqttServerContext(limits, ring, subscriptions, retained, shared,
                new Authorizer(authorization), registry);
        return new MqttTestServer(dataDir, registry, outboxes, ring, acks, context);
    }

    /**
     * Passes a probe through all three stages, so each has run its start-up (the persist stage opens
     * its outbox appender on its own thread) before a test can close the outbox under it.
     */
    private static void awaitStagesRunning(IngestRing ring) {
        assertThat(ring.tryPublish(PROBE, null, null)).as("probe published").isTrue();
        long deadline = System.nanoTime() + MqttTestClient.WAIT.toNanos();
        while (ring.freeSlots() < RING_SIZE) {
            if (System.nanoTime() - deadline > 0) {
                fail("the ring's stages did not start within %s", MqttTestClient.WAIT);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    MeterRegistry registry() {
        return registry;
    }

    MqttServerContext context() {
        return context;
    }

    /** A new connection on which nothing was sent yet. */
    MqttTestClient newClient(int level) {
        EmbeddedChannel channel = new EmbeddedChannel();
        pipeline.install(channel.pipeline(), LISTENER);
        MqttTestClient client = new MqttTestClient(channel, level, acks::handOver);
        clients.add(client);
        return client;
    }

    /** A connection whose CONNECT was accepted. */
    MqttTestClient connect(Packets.Connect connect, int level) {
        MqttTestClient client = newClient(level).send(connect.bytes());
        MqttConnAckMessage connAck = (MqttConnAckMessage) client.receive(MqttMessageType.CONNACK);
        assertThat(MqttTestClient.reasonCode(connAck)).as("CONNACK code").isZero();
        return client;
    }

    MqttTestClient connect(int level, String clientId) {
        return connect(Packets.connect(level, clientId), level);
    }

    /** Saves the offline sessions as the gateway does at shutdown. */
    void saveSessions() {
        SessionSnapshot.save(context, dataDir.resolve("sessions.snapshot"));
    }

    /** Loads saved sessions as the gateway does at start. */
    void loadSessions() {
        SessionSnapshot.load(context, dataDir.resolve("sessions.snapshot"));
    }

    /** Lets the ack stage hand what it stored so far to the sessions (deliveries to offline sessions included). */
    void handOver() {
        acks.handOver();
    }

    Outbox outbox() {
        return outboxes.get(DESTINATION);
    }

    /** Everything in the outbox, oldest first. */
    List<OutboxEntry> stored() {
        List<OutboxEntry> entries = new ArrayList<>();
        try (OutboxReader browser = outbox().openBrowserAt(Outbox.NO_POSITION)) {
            for (OutboxEntry entry = browser.next(); entry != null; entry = browser.next()) {
                entries.add(entry);
            }
        }
        return entries;
    }

    /** Waits until the outbox took {@code count} entries in all, then returns everything in it. */
    List<OutboxEntry> awaitStored(int count) {
        long deadline = System.nanoTime() + MqttTestClient.WAIT.toNanos();
        while (outbox().stats().appendedEntries() < count) {
            if (System.nanoTime() - deadline > 0) {
                fail("the outbox holds %d entries, not %d, after %s", outbox().stats().appendedEntries(), count,
                        MqttTestClient.WAIT);
            }
            LockSupport.parkNanos(1_000_000);
        }
        return stored();
    }

    /**
     * Publishes a marker at QoS 1 from a fresh connection and waits for its PUBACK. The ring is
     * ordered, so everything that entered it before the marker is in the outbox afterwards; a test
     * can then assert that something did <em>not</em> get stored.
     */
    void syncRing() {
        MqttTestClient sync = connect(Packets.V5, "sync");
        sync.send(Packets.publish(Packets.V5, SYNC_TOPIC).qos(1, 1).bytes());
        assertThat(MqttTestClient.reasonCode(sync.receive(MqttMessageType.PUBACK))).isZero();
        sync.send(Packets.disconnect());
        sync.awaitClosed();
    }

    List<String> storedTopics() {
        return stored().stream().map(OutboxEntry::topic).toList();
    }

    @Override
    public void close() {
        AssertionError failure = null;
        for (MqttTestClient client : clients) {
            try {
                client.close();
            } catch (AssertionError e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        ring.shutdown(Duration.ofSeconds(5));
        context.close();
        outboxes.close();
        if (failure != null) {
            throw failure;
        }
    }
}
