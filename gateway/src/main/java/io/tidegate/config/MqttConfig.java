package io.tidegate.config;

/**
 * Protocol limits, applied to every listener.
 *
 * @param maxPacketSizeBytes     largest packet accepted (and announced as Maximum Packet Size in MQTT 5)
 * @param maxClientIdLength      longest client identifier accepted, in characters
 * @param connectTimeoutSeconds  how long a new connection may take to send CONNECT
 * @param maxKeepAliveSeconds    upper bound on the client's keep alive; 0 accepts what the client asks
 * @param receiveMaximum         QoS 1/2 publishes a client may have unacknowledged (MQTT 5 Receive Maximum)
 */
public record MqttConfig(Integer maxPacketSizeBytes, Integer maxClientIdLength, Integer connectTimeoutSeconds,
                         Integer maxKeepAliveSeconds, Integer receiveMaximum) {

    public MqttConfig {
        maxPacketSizeBytes = maxPacketSizeBytes == null ? 262_144 : maxPacketSizeBytes;
        maxClientIdLength = maxClientIdLength == null ? 128 : maxClientIdLength;
        connectTimeoutSeconds = connectTimeoutSeconds == null ? 10 : connectTimeoutSeconds;
        maxKeepAliveSeconds = maxKeepAliveSeconds == null ? 0 : maxKeepAliveSeconds;
        receiveMaximum = receiveMaximum == null ? 1024 : receiveMaximum;
    }
}
