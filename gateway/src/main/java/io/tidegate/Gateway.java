package io.tidegate;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.tidegate.admin.AdminServer;
import io.tidegate.admin.StatusSource;
import io.tidegate.config.DestinationConfig;
import io.tidegate.config.ListenerConfig;
import io.tidegate.config.TidegateConfig;
import io.tidegate.config.TlsConfig;
import io.tidegate.edge.EventLoops;
import io.tidegate.edge.MqttListeners;
import io.tidegate.edge.TlsContexts;
import io.tidegate.forward.DeadLetters;
import io.tidegate.forward.Destination;
import io.tidegate.forward.Forwarder;
import io.tidegate.forward.aws.AwsHttp;
import io.tidegate.forward.dynamodb.DynamoDbDestination;
import io.tidegate.forward.file.FileSink;
import io.tidegate.forward.iotcore.DownstreamSink;
import io.tidegate.forward.iotcore.IotCoreDestination;
import io.tidegate.forward.kinesis.KinesisDestination;
import io.tidegate.mqtt.MqttPipeline;
import io.tidegate.mqtt.MqttServerContext;
import io.tidegate.mqtt.MqttSession;
import io.tidegate.mqtt.RetainedMessages;
import io.tidegate.mqtt.RetainedSnapshot;
import io.tidegate.mqtt.SessionSnapshot;
import io.tidegate.mqtt.SharedSubscriptions;
import io.tidegate.mqtt.StoredMessageDispatcher;
import io.tidegate.mqtt.topic.SubscriptionTree;
import io.tidegate.outbox.DiskSpace;
import io.tidegate.outbox.Outbox;
import io.tidegate.outbox.OutboxBudget;
import io.tidegate.outbox.OutboxPretoucher;
import io.tidegate.outbox.Outboxes;
import io.tidegate.pipeline.IngestRing;
import io.tidegate.pipeline.RingDownstreamSink;
import io.tidegate.pipeline.Router;
import io.tidegate.pipeline.RulesRouter;
import io.tidegate.rules.RuleSet;
import io.tidegate.security.Authorizer;
import io.tidegate.security.certs.DevelopmentPki;
import io.tidegate.security.certs.DevelopmentPkiFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Wires the gateway and runs it: outboxes, the ingest ring, forwarders, MQTT listeners and the
 * admin endpoint, started in data-flow order from the sink back to the network and stopped in the
 * reverse, so nothing accepted is left half-way.
 */
public final class Gateway implements AutoCloseable, StatusSource {

    /** Development device certificates made on first start of the embedded default. */
    public static final List<String> DEVELOPMENT_DEVICES = List.of("device-1");

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    private static final Duration RING_DRAIN_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration FORWARDER_FLUSH_TIMEOUT = Duration.ofSeconds(10);
    /** Where the retained messages are saved, in the data directory. */
    static final String RETAINED_SNAPSHOT = "retained.snapshot";
    /** Where the offline sessions are saved at shutdown, in the data directory. */
    static final String SESSION_SNAPSHOT = "sessions.snapshot";

    private final TidegateConfig config;
    private final Path dataDir;
    private final Instant startedAt = Instant.now();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<Forwarder> forwarders = new ArrayList<>();
    private final List<Outbox> deadLetterOutboxes = new ArrayList<>();
    private final Map<String, OutboxBudget> budgets = new LinkedHashMap<>();
    private Outboxes outboxes;
    private IngestRing ring;
    private MqttServerContext mqtt;
    private EventLoops loops;
    private MqttListeners listeners;
    private AdminServer admin;
    private DevelopmentPkiFiles developmentPki;
    private AwsHttp awsHttp;
    private RetainedSnapshot retainedSnapshot;
    private OutboxPretoucher pretoucher;
    private volatile boolean stopping;

    private Gateway(TidegateConfig config) {
        this.config = config;
        this.dataDir = config.dataDir().toAbsolutePath().normalize();
    }

    /** Starts a gateway; on failure everything started so far is stopped again. */
    public static Gateway start(TidegateConfig config) throws Exception {
        Gateway gateway = new Gateway(config);
        try {
            gateway.startAll();
            return gateway;
        } catch (Exception | Error e) {
            gateway.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        Files.createDirectories(dataDir);
        bindJvmMetrics();
        outboxes = Outboxes.open(dataDir, config.destinations().keySet(), config.outbox());
        DiskSpace disk = DiskSpace.of(dataDir, config.outbox().minFreeDiskBytes());
        for (Outbox outbox : outboxes.all()) {
            budgets.put(outbox.name(), new OutboxBudget(outbox, config.destinations().get(outbox.name()).outbox(), disk));
        }
        registerOutboxGauges();
        if (config.outbox().pretouchAheadBytes() > 0) {
            pretoucher = OutboxPretoucher.start(outboxes.all(), config.outbox().pretouchAheadBytes());
            FunctionCounter.builder("tidegate.outbox.pretouched", pretoucher, OutboxPretoucher::touchedBytes)
                    .baseUnit("bytes").description("Bytes of the outbox files read into the page cache ahead of the appenders")
                    .register(registry);
        }

        SubscriptionTree<MqttSession> subscriptions = new SubscriptionTree<>();
        RetainedMessages retained = new RetainedMessages();
        SharedSubscriptions shared = new SharedSubscriptions();
        retainedSnapshot = RetainedSnapshot.start(retained, dataDir.resolve(RETAINED_SNAPSHOT));
        RuleSet rules = RuleSet.compile(config, outboxes::idOf);
        rules.metrics().bindTo(registry);
        Router router = new RulesRouter(rules);
        // Built before the forwarders, which put messages from the cloud into it, and started after them.
        ring = new IngestRing(config.pipeline(), config.outbox(), outboxes.all(), router,
                new StoredMessageDispatcher(subscriptions, retained, shared), registry, admission());
        startForwarders(new RingDownstreamSink(ring));
        ring.start();

        mqtt = new MqttServerContext(config.mqtt(), ring, subscriptions, retained, shared,
                new Authorizer(config.authorization()), registry);
        SessionSnapshot.load(mqtt, dataDir.resolve(SESSION_SNAPSHOT));
        loops = new EventLoops(Math.max(2, Runtime.getRuntime().availableProcessors()));
        listeners = new MqttListeners(loops, new MqttPipeline(mqtt), registry);
        for (Map.Entry<String, ListenerConfig> entry : config.listeners().entrySet()) {
            if (entry.getValue().isEnabled()) {
                listeners.bind(entry.getKey(), entry.getValue(), sslContext(entry.getValue()));
            }
        }
        if (config.admin().enabled()) {
            admin = new AdminServer(config.admin().host(), config.admin().port(), registry, this);
            admin.start();
        }
        log.info("tidegate started: data in {}, default destination {}", dataDir, config.routing().defaultDestination());
    }

    /**
     * Whether ingest may go on: not while an outbox whose overflow policy is {@code backpressure}
     * is full. Asked on every publish, so it only reads counters (and a cached free-space figure).
     */
    private java.util.function.BooleanSupplier admission() {
        OutboxBudget[] holding = budgets.values().stream().filter(OutboxBudget::appliesBackpressure)
                .toArray(OutboxBudget[]::new);
        return () -> {
            for (OutboxBudget budget : holding) {
                if (budget.fullness() != null) {
                    return false;
                }
            }
            return true;
        };
    }

    private void bindJvmMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        // The allocator every channel uses: memory in its arenas, thread-local caches, chunk size.
        new NettyAllocatorMetrics(PooledByteBufAllocator.DEFAULT).bindTo(registry);
    }

    private void registerOutboxGauges() {
        for (Outbox outbox : outboxes.all()) {
            Gauge.builder("tidegate.outbox.backlog.entries", outbox, o -> o.stats().backlogEntries())
                    .tag("destination", outbox.name()).description("Entries not yet accepted by the destination")
                    .register(registry);
            Gauge.builder("tidegate.outbox.backlog.bytes", outbox, o -> o.stats().backlogBytes())
                    .tag("destination", outbox.name()).baseUnit("bytes")
                    .description("Bytes of entries not yet accepted by the destination").register(registry);
            Gauge.builder("tidegate.outbox.oldest.age", outbox,
                            o -> o.stats().oldestAgeSeconds(System.currentTimeMillis()))
                    .tag("destination", outbox.name()).baseUnit("seconds")
                    .description("Age of the oldest entry not yet accepted by the destination").register(registry);
            Gauge.builder("tidegate.outbox.full", budgets.get(outbox.name()), b -> b.fullness() == null ? 0 : 1)
                    .tag("destination", outbox.name())
                    .description("1 while the outbox is over its maxBytes or the disk below its floor").register(registry);
        }
    }

    private void startForwarders(DownstreamSink downstream) throws IOException {
        for (Map.Entry<String, DestinationConfig> entry : config.destinations().entrySet()) {
            String name = entry.getKey();
            DestinationConfig destination = entry.getValue();
            if (!destination.enabled()) {
                log.info("destination {} is disabled: its outbox keeps what is routed to it", name);
                continue;
            }
            Outbox deadLetterOutbox = Outbox.open(DeadLetters.outboxName(name), DeadLetters.directory(dataDir, name),
                    config.outbox().rollCycle());
            deadLetterOutboxes.add(deadLetterOutbox);
            Forwarder forwarder = new Forwarder(name, outboxes.get(name), createDestination(name, destination, downstream),
                    new DeadLetters(deadLetterOutbox, name), destination.batch(), registry, budgets.get(name));
            forwarder.start();
            forwarders.add(forwarder);
        }
    }

    private Destination createDestination(String name, DestinationConfig destination, DownstreamSink downstream)
            throws IOException {
        return switch (destination.type()) {
            case FILE -> new FileSink(Optional.ofNullable(destination.directory())
                    .orElse(dataDir.resolve("sink").resolve(name)).toAbsolutePath(),
                    destination.maxFileBytes(), destination.rollIntervalSeconds() * 1000L, Clock.systemUTC());
            case KINESIS -> new KinesisDestination(destination.aws(), destination.kinesis(), awsHttp());
            case DYNAMODB -> new DynamoDbDestination(destination.aws(), destination.dynamodb(), awsHttp());
            case IOTCORE -> new IotCoreDestination(name, destination.iotcore(), downstream);
        };
    }

    /** The HTTP client the AWS destinations share, made when the first one needs it. */
    private AwsHttp awsHttp() {
        if (awsHttp == null) {
            awsHttp = AwsHttp.create();
        }
        return awsHttp;
    }

    private SslContext sslContext(ListenerConfig listener) throws IOException {
        if (!listener.isTls()) {
            return null;
        }
        TlsConfig tls = listener.tls();
        TlsContexts.KeyMaterial keys;
        if (tls.usesDevelopmentCertificates()) {
            if (developmentPki == null) {
                developmentPki = DevelopmentPki.ensure(dataDir.resolve("certs"), DEVELOPMENT_DEVICES);
            }
            keys = new TlsContexts.KeyMaterial(developmentPki.serverChain(), developmentPki.serverKey(),
                    developmentPki.caCert());
        } else {
            keys = new TlsContexts.KeyMaterial(tls.certChain(), tls.privateKey(), tls.trustedCa());
        }
        return TlsContexts.serverContext(tls, keys);
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The development certificates, when a listener uses them. */
    public Optional<DevelopmentPkiFiles> developmentPki() {
        return Optional.ofNullable(developmentPki);
    }

    public InetSocketAddress listenerAddress(String name) {
        return listeners.address(name);
    }

    public Optional<InetSocketAddress> adminAddress() {
        return Optional.ofNullable(admin).map(AdminServer::address);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public List<String> notReadyReasons() {
        List<String> reasons = new ArrayList<>();
        if (stopping) {
            reasons.add("shutting down");
        }
        if (listeners == null || !listeners.allBound()) {
            reasons.add("listeners not bound");
        }
        if (ring == null || !ring.isRunning()) {
            reasons.add("ingest ring not running");
        }
        if (outboxes != null) {
            for (Outbox outbox : outboxes.all()) {
                if (!Files.isWritable(outbox.directory())) {
                    reasons.add("outbox " + outbox.name() + " not writable");
                }
            }
        }
        return reasons;
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("version", Version.get());
        status.put("startedAt", startedAt.toString());
        status.put("ready", notReadyReasons().isEmpty());
        Map<String, Object> listenerStatus = new LinkedHashMap<>();
        if (listeners != null) {
            listeners.addresses().forEach((name, address) ->
                    listenerStatus.put(name, address.getHostString() + ":" + address.getPort()));
        }
        status.put("listeners", listenerStatus);
        status.put("connections", mqtt == null ? 0 : mqtt.metrics().connections());
        if (mqtt != null) {
            status.put("sessions", Map.of("total", mqtt.sessions().size(), "offline", mqtt.sessions().offline(),
                    "queuedMessages", mqtt.sessions().queuedMessages()));
        }
        status.put("ringFreeSlots", ring == null ? 0 : ring.freeSlots());
        List<Map<String, Object>> destinations = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (Outbox outbox : outboxes == null ? List.<Outbox>of() : outboxes.all()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("name", outbox.name());
            forwarders.stream().filter(f -> f.name().equals(outbox.name())).findFirst().ifPresentOrElse(f -> {
                d.put("state", f.status().state());
                d.put("target", f.status().target());
                d.put("delivered", f.status().delivered());
                d.put("lastError", f.status().lastError());
            }, () -> d.put("state", "disabled"));
            d.put("backlogEntries", outbox.stats().backlogEntries());
            d.put("backlogBytes", outbox.stats().backlogBytes());
            d.put("oldestAgeSeconds", outbox.stats().oldestAgeSeconds(now));
            OutboxBudget.DropReason full = budgets.get(outbox.name()).fullness();
            d.put("outboxFull", full == null ? null : full.label());
            destinations.add(d);
        }
        status.put("destinations", destinations);
        return status;
    }

    /**
     * Stops in reverse order: no new connections; clients stop being read; the ring drains, so
     * every stored message is acknowledged; clients are disconnected; forwarders get a bounded time
     * to deliver; outboxes close. Whatever was not delivered stays in the outboxes.
     */
    @Override
    public void close() {
        if (stopping) {
            return;
        }
        stopping = true;
        log.info("tidegate stopping");
        if (listeners != null) {
            listeners.close();
        }
        if (mqtt != null) {
            mqtt.pauseAll();
        }
        if (ring != null) {
            ring.shutdown(RING_DRAIN_TIMEOUT);
        }
        if (mqtt != null) {
            mqtt.flushAndDisconnectAll();
        }
        if (retainedSnapshot != null) {
            retainedSnapshot.close(); // the ring drained: every retained update is in the store
        }
        if (loops != null) {
            loops.shutdown(Duration.ofSeconds(5));
        }
        if (mqtt != null) {
            SessionSnapshot.save(mqtt, dataDir.resolve(SESSION_SNAPSHOT)); // every connection is closed by now
            mqtt.close();
        }
        // All at once: destinations that are down must not add up their timeouts past a pod's grace period.
        forwarders.forEach(forwarder -> forwarder.requestStop(FORWARDER_FLUSH_TIMEOUT));
        boolean forwardersStopped = true;
        for (Forwarder forwarder : forwarders) {
            forwardersStopped &= forwarder.awaitStop(FORWARDER_FLUSH_TIMEOUT);
        }
        if (forwardersStopped && awsHttp != null) {
            awsHttp.close();
        }
        if (pretoucher != null) {
            pretoucher.close(); // the ring has drained: nothing appends any more
        }
        if (forwardersStopped) {
            if (outboxes != null) {
                outboxes.close();
            }
            deadLetterOutboxes.forEach(Outbox::close);
        } else {
            // Closing a Chronicle queue under a thread still using it can crash the JVM; the OS
            // releases the files at exit, and everything committed is already on disk.
            log.warn("a forwarder is still running: outboxes are left open for the process exit");
        }
        if (admin != null) {
            admin.close();
        }
        registry.close();
        log.info("tidegate stopped");
    }
}
