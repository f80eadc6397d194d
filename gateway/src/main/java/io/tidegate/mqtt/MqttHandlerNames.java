package io.tidegate.mqtt;

/** Names of the handlers in an MQTT channel pipeline, so handlers can find and replace each other. */
public final class MqttHandlerNames {

    public static final String TLS = "tls";
    public static final String TLS_EVENTS = "tlsEvents";
    public static final String DECODER = "mqttDecoder";
    public static final String ENCODER = "mqttEncoder";
    public static final String IDLE = "idle";
    public static final String DECODER_ERRORS = "decoderErrors";
    public static final String CONNECT = "connect";
    public static final String PUBLISH = "publish";
    public static final String SUBSCRIBE = "subscribe";
    public static final String CONTROL = "control";
    public static final String EXCEPTIONS = "exceptions";

    private MqttHandlerNames() {
    }
}
