package io.tidegate.loadgen.run;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.tidegate.loadgen.client.ClientTls;
import io.tidegate.loadgen.client.DeviceConnection;
import io.tidegate.loadgen.client.FleetContext;
import io.tidegate.loadgen.client.MqttClientInitializer;
import io.tidegate.loadgen.client.SourceAddresses;
import io.tidegate.loadgen.client.SubscriberConnection;
import io.tidegate.loadgen.client.Transport;
import io.tidegate.loadgen.metrics.IntervalSampler;
import io.tidegate.loadgen.metrics.RunClock;
import io.tidegate.loadgen.metrics.RunMetrics;
import io.tidegate.loadgen.report.RunReport;
import io.tidegate.loadgen.scenario.LoadSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one load test: subscriber first (with {@code --subscribe}), then the connect ramp, the publish
 * phase until the duration ends or every device sent its messages, a drain for outstanding
 * acknowledgements, and a clean DISCONNECT of every connection. Returns what was measured.
 */
public final class LoadRun {

    private static final Logger log = LoggerFactory.getLogger(LoadRun.class);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final LoadSpec spec;
    private final PrintStream progress;
    private final RunClock clock = new RunClock();
    private final RunMetrics metrics = new RunMetrics();
    private final ChannelGroup channels = new DefaultChannelGroup("loadgen", GlobalEventExecutor.INSTANCE);
    private volatile boolean rampStopped;

    /** @param progress where the once-a-second progress line goes; null for none */
    public LoadRun(LoadSpec spec, PrintStream progress) {
        this.spec = spec;
        this.progress = progress;
    }

    public RunReport execute() throws Exception {
        ClientTls tls = spec.broker().tls() || spec.subscribe().map(s -> s.broker().tls()).orElse(false)
                ? ClientTls.create(spec.tls(), spec.connectTimeout().toMillis()) : null;
        FleetContext fleet = new FleetContext(spec, clock, metrics, tls);
        SourceAddresses sources = SourceAddresses.parse(spec.localAddresses(), spec.devices(), spec.broker().isLoopback());
        try (Transport transport = new Transport(spec.ioThreads());
             IntervalSampler sampler = new IntervalSampler(metrics, clock, spec.devices(), progress)) {
            log.info("{} devices against {} ({} transport, {} I/O threads, source addresses: {})", spec.devices(),
                    spec.broker(), transport.isEpoll() ? "epoll" : "nio", spec.ioThreads(), sources);
            Bootstrap prototype = bootstrap(transport);
            if (spec.subscribe().isPresent()) {
                startSubscriber(prototype, fleet);
            }
            long start = clock.nanoTime();
            long deadline = spec.duration().isZero() ? Long.MAX_VALUE
                    : start + spec.warmup().toNanos() + spec.duration().toNanos();
            sampler.start();
            Thread ramp = new Thread(() -> ramp(prototype, fleet, sources, start), "loadgen-ramp");
            ramp.setDaemon(true);
            ramp.start();
            awaitEndOfPublishing(fleet, ramp, deadline, spec.warmup().isZero() ? null : sampler,
                    start + spec.warmup().toNanos());
            rampStopped = true;
            fleet.stopPublishing();
            ramp.join(TimeUnit.SECONDS.toMillis(10));
            long leftOver = drain(fleet);
            if (leftOver > 0) {
                metrics.error("unacknowledged at end of run", leftOver);
            }
            if (spec.subscribe().isPresent()) {
                awaitDeliveries();
            }
            long end = clock.nanoTime();
            sampler.close();
            disconnectAll(fleet);
            return ReportBuilder.build(spec, clock, metrics, sampler.timeline(), end,
                    leftOver + fleet.lostInFlight.sum());
        }
    }

    private Bootstrap bootstrap(Transport transport) {
        Bootstrap b = new Bootstrap().group(transport.group()).channel(transport.channelClass())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, spec.connectTimeout().toMillis()));
        if (transport.isEpoll()) {
            // Defer the source port choice to connect(), so a bound source address is not limited to one port range per address.
            b.option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
        }
        return b;
    }

    private void startSubscriber(Bootstrap prototype, FleetContext fleet) throws Exception {
        LoadSpec.SubscribeSpec sub = spec.subscribe().orElseThrow();
        String clientId = "loadgen-subscriber-" + Long.toHexString(System.nanoTime() & 0xffffff);
        SubscriberConnection subscriber = new SubscriberConnection(fleet, clientId, sub.topicFilter());
        ChannelFuture connect = prototype.clone()
                .handler(new MqttClientInitializer(fleet, sub.broker(), clientId, subscriber))
                .connect(sub.broker().host(), sub.broker().port());
        channels.add(connect.channel());
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                subscriber.subscribed().completeExceptionally(f.cause());
            }
        });
        try {
            subscriber.subscribed().get(spec.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            connect.channel().close();
            throw new IllegalStateException("subscriber to " + sub.broker() + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            connect.channel().close();
            throw new IllegalStateException("subscriber to " + sub.broker() + " got no SUBACK within " + spec.connectTimeout());
        }
        log.info("subscribed to {} on {}", sub.topicFilter(), sub.broker());
    }

    /** Opens connections at the configured rate, never more than maxPendingConnects still handshaking. */
    private void ramp(Bootstrap prototype, FleetContext fleet, SourceAddresses sources, long start) {
        double intervalNanos = 1e9 / spec.connectRatePerSecond();
        InetSocketAddress remote = new InetSocketAddress(spec.broker().host(), spec.broker().port());
        for (int i = 0; i < spec.devices() && !rampStopped; i++) {
            long due = start + (long) (i * intervalNanos);
            parkUntil(due);
            while (fleet.pendingConnects.get() >= spec.maxPendingConnects() && !rampStopped) {
                LockSupport.parkNanos(100_000);
            }
            if (rampStopped) {
                break;
            }
            connect(prototype, fleet, remote, sources.next(), i);
        }
    }

    private void connect(Bootstrap prototype, FleetContext fleet, InetSocketAddress remote, InetSocketAddress local,
                         int deviceIndex) {
        if (fleet.tls != null) {
            fleet.tls.prepareDevice(spec.deviceId(deviceIndex));
        }
        long attempt = clock.nanoTime();
        fleet.pendingConnects.incrementAndGet();
        metrics.connectAttempts.increment();
        DeviceConnection device = new DeviceConnection(fleet, deviceIndex, attempt);
        Bootstrap b = prototype.clone().handler(new MqttClientInitializer(fleet, spec.broker(), device.deviceId(), device));
        ChannelFuture future = local == null ? b.connect(remote) : b.connect(remote, local);
        channels.add(future.channel());
        future.addListener(f -> {
            if (!f.isSuccess()) {
                // The channel never became active, so the device handler counts nothing itself.
                metrics.error(io.tidegate.loadgen.client.ConnectionErrors.kindOf(f.cause()));
                fleet.pendingConnects.decrementAndGet();
                fleet.doneDevices.incrementAndGet();
            }
        });
    }

    /**
     * Waits for the end of the publish phase: the deadline, or every device done (all messages sent
     * and acknowledged, or its connection gone). A run without a deadline also ends when nothing
     * moved for a while after the ramp, so a broker that stops acknowledging cannot hang it. With a
     * warm-up, the sampler restarts the measurement once it is over.
     */
    private void awaitEndOfPublishing(FleetContext fleet, Thread ramp, long deadline, IntervalSampler warmupSampler,
                                      long warmupEndNanos) {
        long stallNanos = stallLimitNanos();
        long lastProgress = metrics.sent.sum() + metrics.acked.sum() + metrics.errors();
        long lastChange = clock.nanoTime();
        while (true) {
            long now = clock.nanoTime();
            if (now - deadline >= 0) {
                return;
            }
            if (warmupSampler != null && now - warmupEndNanos >= 0) {
                log.info("warm-up of {} over: measuring from here", spec.warmup());
                warmupSampler.startMeasurement();
                warmupSampler = null;
            }
            if (fleet.doneDevices.get() >= spec.devices()) {
                return;
            }
            long progressNow = metrics.sent.sum() + metrics.acked.sum() + metrics.errors();
            if (progressNow != lastProgress || ramp.isAlive() || fleet.pendingConnects.get() > 0) {
                lastProgress = progressNow;
                lastChange = now;
            } else if (deadline == Long.MAX_VALUE && now - lastChange > stallNanos) {
                metrics.error("run stalled: no progress for " + Duration.ofNanos(stallNanos).toSeconds() + "s");
                return;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private long stallLimitNanos() {
        long drain = spec.drainTimeout().toNanos();
        return spec.paced() ? Math.max(drain, (long) (3e9 / spec.ratePerDevice())) : drain;
    }

    /** Waits up to the drain timeout for outstanding acknowledgements; returns how many never came. */
    private long drain(FleetContext fleet) {
        long until = clock.nanoTime() + spec.drainTimeout().toNanos();
        while (fleet.outstanding.sum() > 0 && clock.nanoTime() - until < 0) {
            LockSupport.parkNanos(POLL_NANOS);
        }
        return Math.max(0, fleet.outstanding.sum());
    }

    /**
     * Gives the subscriber time to receive what was acknowledged: until it has as many deliveries as
     * acknowledgements, or deliveries stopped coming for a second (a broker may drop for a slow
     * subscriber), within the drain timeout.
     */
    private void awaitDeliveries() {
        long until = clock.nanoTime() + spec.drainTimeout().toNanos();
        long last = -1;
        long lastChange = clock.nanoTime();
        while (clock.nanoTime() - until < 0) {
            long delivered = metrics.delivered.sum();
            long expected = spec.qos() == 0 ? metrics.sent.sum() : metrics.acked.sum();
            if (delivered >= expected) {
                return;
            }
            if (delivered != last) {
                last = delivered;
                lastChange = clock.nanoTime();
            } else if (clock.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(1)) {
                return;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private void disconnectAll(FleetContext fleet) {
        fleet.startClosing();
        for (Channel channel : channels) {
            if (channel.isActive()) {
                channel.writeAndFlush(MqttMessage.DISCONNECT).addListener(f -> channel.close());
            }
        }
        if (!channels.newCloseFuture().awaitUninterruptibly(10, TimeUnit.SECONDS)) {
            channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private static void parkUntil(long nanoTime) {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
