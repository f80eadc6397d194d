package io.tidegate.edge;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import io.tidegate.config.ListenerConfig;
import io.tidegate.mqtt.ListenerContext;
import io.tidegate.mqtt.MqttPipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Binds the configured MQTT listeners and closes them on shutdown. */
public final class MqttListeners implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MqttListeners.class);

    private final EventLoops loops;
    private final MqttPipeline mqtt;
    private final TlsHandshakeEvents tlsEvents;
    private final Map<String, Channel> bound = new LinkedHashMap<>();
    /** TLS contexts of the bound listeners; reference-counted OpenSSL ones are released on close. */
    private final List<SslContext> contexts = new ArrayList<>();

    public MqttListeners(EventLoops loops, MqttPipeline mqtt, MeterRegistry registry) {
        this.loops = loops;
        this.mqtt = mqtt;
        this.tlsEvents = new TlsHandshakeEvents(registry);
    }

    /** Binds one listener; {@code sslContext} is null for plain TCP. Blocks until bound. */
    public InetSocketAddress bind(String name, ListenerConfig config, SslContext sslContext) throws InterruptedException {
        ListenerContext context = new ListenerContext(name, config.allowAnonymous(),
                config.isTls() ? config.tls().identity() : null);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops.boss(), loops.workers())
                .channel(loops.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new MqttChannelInitializer(sslContext, tlsEvents, mqtt, context));
        Channel channel;
        try {
            channel = bootstrap.bind(config.host(), config.port()).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            ReferenceCountUtil.release(sslContext);
            throw e;
        }
        bound.put(name, channel);
        if (sslContext != null) {
            contexts.add(sslContext);
        }
        InetSocketAddress address = (InetSocketAddress) channel.localAddress();
        log.info("listener {} on {}:{} ({}{})", name, address.getHostString(), address.getPort(),
                sslContext == null ? "mqtt" : "mqtts, client auth " + config.tls().clientAuth().name().toLowerCase(),
                ", " + loops.transport());
        return address;
    }

    /** The bound address of a listener, or null. */
    public InetSocketAddress address(String name) {
        Channel channel = bound.get(name);
        return channel == null ? null : (InetSocketAddress) channel.localAddress();
    }

    public boolean allBound() {
        return !bound.isEmpty() && bound.values().stream().allMatch(Channel::isActive);
    }

    public Map<String, InetSocketAddress> addresses() {
        Map<String, InetSocketAddress> result = new LinkedHashMap<>();
        bound.forEach((name, channel) -> result.put(name, (InetSocketAddress) channel.localAddress()));
        return result;
    }

    /** Stops accepting new connections. */
    @Override
    public void close() {
        List<Channel> channels = new ArrayList<>(bound.values());
        for (Channel channel : channels) {
            channel.close().awaitUninterruptibly();
        }
        // Open connections keep their own reference: the native context goes with the last of them.
        contexts.forEach(ReferenceCountUtil::release);
        contexts.clear();
    }
}
