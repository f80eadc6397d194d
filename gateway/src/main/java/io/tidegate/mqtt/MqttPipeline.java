package io.tidegate.mqtt;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.timeout.IdleStateHandler;

import java.util.concurrent.TimeUnit;

/**
 * Adds the MQTT handlers to a channel pipeline (after TLS, which the edge adds), in one place and
 * by name. Stateless handlers are shared by all channels; stateful ones are made per channel.
 */
public final class MqttPipeline {

    private final MqttServerContext server;
    private final MqttDecoderErrorHandler decoderErrors;
    private final MqttSubscribeHandler subscribe;
    private final MqttControlHandler control;
    private final MqttExceptionHandler exceptions;

    public MqttPipeline(MqttServerContext server) {
        this.server = server;
        this.decoderErrors = new MqttDecoderErrorHandler(server.disconnector());
        this.subscribe = new MqttSubscribeHandler(server);
        this.control = new MqttControlHandler(server);
        this.exceptions = new MqttExceptionHandler(server.disconnector());
    }

    public void install(ChannelPipeline pipeline, ListenerContext listener) {
        pipeline.addLast(MqttHandlerNames.DECODER,
                new MqttDecoder(server.config().maxPacketSizeBytes(), server.config().maxClientIdLength()));
        pipeline.addLast(MqttHandlerNames.ENCODER, MqttEncoder.INSTANCE);
        // Until CONNECT arrives this is the connect timeout; the connect handler swaps in keep alive.
        pipeline.addLast(MqttHandlerNames.IDLE,
                new IdleStateHandler(0, 0, server.config().connectTimeoutSeconds(), TimeUnit.SECONDS));
        pipeline.addLast(MqttHandlerNames.DECODER_ERRORS, decoderErrors);
        pipeline.addLast(MqttHandlerNames.CONNECT, new MqttConnectHandler(server, listener));
        pipeline.addLast(MqttHandlerNames.PUBLISH, new MqttPublishHandler(server));
        pipeline.addLast(MqttHandlerNames.SUBSCRIBE, subscribe);
        pipeline.addLast(MqttHandlerNames.CONTROL, control);
        pipeline.addLast(MqttHandlerNames.EXCEPTIONS, exceptions);
    }
}
