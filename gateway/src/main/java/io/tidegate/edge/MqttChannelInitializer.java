package io.tidegate.edge;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.tidegate.mqtt.ListenerContext;
import io.tidegate.mqtt.MqttHandlerNames;
import io.tidegate.mqtt.MqttPipeline;

/** Builds one connection's pipeline: TLS first when the listener has it, then the MQTT handlers. */
final class MqttChannelInitializer extends ChannelInitializer<SocketChannel> {

    private final SslContext sslContext;
    private final TlsHandshakeEvents tlsEvents;
    private final MqttPipeline mqtt;
    private final ListenerContext listener;

    MqttChannelInitializer(SslContext sslContext, TlsHandshakeEvents tlsEvents, MqttPipeline mqtt,
                           ListenerContext listener) {
        this.sslContext = sslContext;
        this.tlsEvents = tlsEvents;
        this.mqtt = mqtt;
        this.listener = listener;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        if (sslContext != null) {
            pipeline.addLast(MqttHandlerNames.TLS, sslContext.newHandler(channel.alloc()));
            pipeline.addLast(MqttHandlerNames.TLS_EVENTS, tlsEvents);
        }
        mqtt.install(pipeline, listener);
    }
}
