package io.tidegate.forward.iotcore;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tidegate.config.IotCoreConfig;
import io.tidegate.config.IotCoreTopicRules;
import io.tidegate.config.KeySource;
import io.tidegate.forward.Destination;
import io.tidegate.forward.DestinationLimits;
import io.tidegate.forward.WriteResult;
import io.tidegate.outbox.OutboxEntry;

import javax.net.ssl.SSLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * AWS IoT Core over MQTT 5 and mutual TLS, through a pool of connections with client ids
 * {@code <prefix>-0 … <prefix>-(n-1)}. IoT Core limits each connection to 100 publishes/s,
 * 512 KiB/s and 100 unacknowledged publishes; a gateway funnelling a fleet through one client
 * hits those first. Here every connection has its own rate and in-flight budget, and a write
 * spreads its messages over the connected ones by device (each device's messages take one
 * connection, in order), so the limits hold by construction and the pool's size sets the rate.
 *
 * <p>A message is accepted when its PUBACK says so; PUBACK reason codes that cannot change on a
 * retry (not authorized, topic invalid, payload format invalid, too large) reject it to the
 * dead-letter outbox; a lost connection or a missing PUBACK makes it retriable. The topic is the
 * device's own, a fixed one, or a rule action's {@code topic} setting, checked against IoT Core's
 * topic rules before sending, since IoT Core answers a bad topic by dropping the connection.
 */
public final class IotCoreDestination implements Destination {

    /** IoT Core's largest message payload. */
    static final int MAX_PAYLOAD_BYTES = 128 * 1024;
    /** IoT Core bills messaging in 5 KB units per message. */
    static final int MESSAGE_UNIT_BYTES = 5 * 1024;
    /** The rule action setting that names the topic per message. */
    public static final String TOPIC_SETTING = "topic";
    /** How long a write waits for a first connection before reporting the destination down. */
    private static final long FIRST_CONNECTION_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final IotCoreConfig config;
    private final EventLoopGroup group;
    private final List<UpstreamConnection> connections = new ArrayList<>();
    private final ConcurrentLinkedQueue<PublishOutcome> outcomes = new ConcurrentLinkedQueue<>();
    private final ConnectionAssignment assignment;
    private volatile Thread writer;
    private long writeSequence;

    public IotCoreDestination(String name, IotCoreConfig config, DownstreamSink downstream) throws SSLException {
        this.config = config;
        this.assignment = new ConnectionAssignment(config.connections());
        SslContext ssl = UpstreamTls.context(config);
        this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("tidegate-iotcore-" + name, true));
        long now = System.nanoTime();
        for (int i = 0; i < config.connections(); i++) {
            // One connection carries the downstream subscriptions: each command arrives once.
            List<String> filters = i == 0 ? config.downstream() : List.of();
            connections.add(new UpstreamConnection(config.clientIdPrefix() + "-" + i, config, ssl, group.next(),
                    filters, downstream, this::onOutcome, now));
        }
        connections.forEach(UpstreamConnection::start);
    }

    private void onOutcome(PublishOutcome outcome) {
        outcomes.add(outcome);
        Thread waiting = writer;
        if (waiting != null) {
            LockSupport.unpark(waiting);
        }
    }

    /**
     * At most about one second of the pool's publishes per write: a write waits for every PUBACK,
     * so a larger one would only delay its commit.
     */
    @Override
    public DestinationLimits limits() {
        long records = (long) config.connections() * config.maxPublishesPerSecond();
        long bytes = Math.max(MAX_PAYLOAD_BYTES, (long) config.connections() * config.maxBytesPerSecond());
        return new DestinationLimits((int) Math.min(records, Integer.MAX_VALUE), bytes, MAX_PAYLOAD_BYTES);
    }

    @Override
    public String billableUnit() {
        return "iotcore_message_units";
    }

    @Override
    public WriteResult write(List<OutboxEntry> batch) throws InterruptedException {
        WriteResult result = WriteResult.accepted(batch.size());
        long write = ++writeSequence;
        outcomes.clear();
        writer = Thread.currentThread();
        try {
            List<UpstreamConnection> live = liveConnections();
            if (live.isEmpty()) {
                String reason = "no connection to " + config.endpoint() + ":" + config.port() + " is up: "
                        + connections.get(0).lastError();
                for (int i = 0; i < batch.size(); i++) {
                    result.retry(i, reason);
                }
                return result;
            }
            String[] topics = new String[batch.size()];
            List<ArrayDeque<Integer>> queues = new ArrayList<>(connections.size());
            for (int i = 0; i < connections.size(); i++) {
                queues.add(new ArrayDeque<>());
            }
            int outstanding = 0;
            for (int i = 0; i < batch.size(); i++) {
                OutboxEntry entry = batch.get(i);
                String topic = topicOf(entry);
                Optional<String> problem = IotCoreTopicRules.problem(topic);
                if (problem.isPresent()) {
                    result.reject(i, problem.get() + ": " + topic);
                    continue;
                }
                topics[i] = config.basicIngestRule() == null ? topic
                        : IotCoreTopicRules.basicIngest(config.basicIngestRule(), topic);
                queues.get(connectionOf(entry.clientId(), live)).add(i);
                outstanding++;
            }
            long units = 0;
            List<UpstreamConnection.Outgoing> sending = new ArrayList<>();
            while (outstanding > 0) {
                PublishOutcome outcome;
                while ((outcome = outcomes.poll()) != null) {
                    if (outcome.write() != write) {
                        continue;
                    }
                    outstanding--;
                    int i = outcome.position();
                    switch (outcome.outcome()) {
                        case ACCEPTED -> units += units(batch.get(i));
                        case REJECTED -> result.reject(i, outcome.reason());
                        case THROTTLED -> result.throttle(i, outcome.reason());
                        default -> result.retry(i, outcome.reason());
                    }
                }
                long now = System.nanoTime();
                long park = MAX_PARK_NANOS;
                for (int c = 0; c < connections.size(); c++) {
                    ArrayDeque<Integer> queue = queues.get(c);
                    UpstreamConnection connection = connections.get(c);
                    if (queue.isEmpty()) {
                        continue;
                    }
                    if (!connection.isConnected()) {
                        // Its later messages wait with the failed ones: a device's order holds.
                        String reason = "upstream connection " + connection.clientId() + " is down: "
                                + connection.lastError();
                        outstanding -= queue.size();
                        queue.forEach(i -> result.retry(i, reason));
                        queue.clear();
                        continue;
                    }
                    while (!queue.isEmpty() && connection.inFlight() + sending.size() < connection.window()) {
                        int i = queue.peek();
                        int size = batch.get(i).payload().length;
                        long delay = connection.limiter().delayNanos(size, now);
                        if (delay > 0) {
                            park = Math.min(park, delay);
                            break;
                        }
                        connection.limiter().take(size, now);
                        queue.poll();
                        sending.add(new UpstreamConnection.Outgoing(write, i, topics[i], batch.get(i).payload()));
                    }
                    if (!sending.isEmpty()) {
                        connection.send(List.copyOf(sending));
                        sending.clear();
                    }
                }
                if (outstanding > 0 && outcomes.isEmpty()) {
                    LockSupport.parkNanos(this, park);
                    if (Thread.interrupted()) {
                        throw new InterruptedException("interrupted while waiting for PUBACKs");
                    }
                }
            }
            return result.billableUnits(units);
        } finally {
            writer = null;
        }
    }

    /** The connected part of the pool, after waiting a little for a first connection at start-up. */
    private List<UpstreamConnection> liveConnections() throws InterruptedException {
        long deadline = System.nanoTime() + FIRST_CONNECTION_WAIT_NANOS;
        while (true) {
            List<UpstreamConnection> live = new ArrayList<>(connections.size());
            for (UpstreamConnection connection : connections) {
                if (connection.isConnected()) {
                    live.add(connection);
                }
            }
            if (!live.isEmpty() || System.nanoTime() - deadline > 0) {
                return live;
            }
            Thread.sleep(20);
        }
    }

    private String topicOf(OutboxEntry entry) {
        String fromRule = entry.actionSetting(TOPIC_SETTING);
        if (fromRule != null && !fromRule.isEmpty()) {
            return fromRule;
        }
        return KeySource.TOPIC.equals(config.topic()) ? entry.topic() : config.topic();
    }

    /** The device's own connection, or while that one is down a live stand-in. */
    private int connectionOf(String clientId, List<UpstreamConnection> live) {
        int own = assignment.of(clientId);
        if (connections.get(own).isConnected()) {
            return own;
        }
        return connections.indexOf(live.get(ConnectionAssignment.fallback(clientId, live.size())));
    }

    /** IoT Core messaging units: 5 KB each, at least one; Basic Ingest messages are not charged. */
    private long units(OutboxEntry entry) {
        if (config.basicIngestRule() != null) {
            return 0;
        }
        return Math.max(1, (entry.payload().length + MESSAGE_UNIT_BYTES - 1) / MESSAGE_UNIT_BYTES);
    }

    /** Connections up now, out of the pool. */
    public int connectedCount() {
        int up = 0;
        for (UpstreamConnection connection : connections) {
            up += connection.isConnected() ? 1 : 0;
        }
        return up;
    }

    @Override
    public void bindTo(MeterRegistry registry, String name) {
        Gauge.builder("tidegate.iotcore.connections", this, IotCoreDestination::connectedCount)
                .tag("destination", name).description("Connections of the IoT Core pool that are up")
                .register(registry);
        Gauge.builder("tidegate.iotcore.pool.size", connections, List::size)
                .tag("destination", name).description("Connections in the IoT Core pool").register(registry);
    }

    @Override
    public String describe() {
        return "iotcore:" + config.endpoint() + ":" + config.port() + " (" + config.connections() + " connections"
                + (config.basicIngestRule() == null ? "" : ", basic ingest " + config.basicIngestRule()) + ")";
    }

    @Override
    public void close() {
        connections.forEach(UpstreamConnection::close);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
