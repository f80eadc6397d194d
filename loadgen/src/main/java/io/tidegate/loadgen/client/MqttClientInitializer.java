package io.tidegate.loadgen.client;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.tidegate.loadgen.scenario.BrokerAddress;

/**
 * The one client pipeline, for devices and subscribers alike:
 * {@code tls? → mqtt-decoder → mqtt-encoder → keep-alive → (device | subscriber)}.
 */
public final class MqttClientInitializer extends ChannelInitializer<SocketChannel> {

    public static final String TLS = "tls";
    public static final String DECODER = "mqtt-decoder";
    public static final String ENCODER = "mqtt-encoder";
    public static final String KEEP_ALIVE = "keep-alive";
    public static final String CLIENT = "client";

    /** Largest packet accepted from the broker: deliveries to the subscriber can be as large as publishes. */
    private static final int MAX_PACKET_BYTES = 1024 * 1024;

    private final FleetContext fleet;
    private final BrokerAddress broker;
    private final String clientId;
    private final ChannelHandler client;

    public MqttClientInitializer(FleetContext fleet, BrokerAddress broker, String clientId, ChannelHandler client) {
        this.fleet = fleet;
        this.broker = broker;
        this.clientId = clientId;
        this.client = client;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        if (broker.tls()) {
            p.addLast(TLS, fleet.tls.newHandler(ch.alloc(), broker.host(), broker.port(), clientId));
        }
        p.addLast(DECODER, new MqttDecoder(MAX_PACKET_BYTES));
        p.addLast(ENCODER, MqttEncoder.INSTANCE);
        int keepAliveSeconds = (int) fleet.spec.keepAlive().toSeconds();
        if (keepAliveSeconds > 0) {
            // Ping a quarter before the deadline; publishes count as activity, so busy devices never ping.
            p.addLast(KEEP_ALIVE, new IdleStateHandler(0, Math.max(1, keepAliveSeconds * 3 / 4), 0));
        }
        p.addLast(CLIENT, client);
    }
}
