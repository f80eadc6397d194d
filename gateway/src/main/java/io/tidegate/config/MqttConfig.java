package io.tidegate.config;

/**
 * Protocol limits, applied to every listener.
 *
 * @param maxPacketSizeBytes     largest packet accepted (and announced as Maximum Packet Size in MQTT 5)
 * @param maxClientIdLength      longest client identifier accepted, in characters
 * @param connectTimeoutSeconds  how long a new connection may take to send CONNECT
 * @param maxKeepAliveSeconds    upper bound on the client's keep alive; 0 accepts what the client asks
 * @param receiveMaximum         QoS 1/2 publishes a client may have unacknowledged (MQTT 5 Receive Maximum)
 * @param topicAliasMaximum      topic aliases an MQTT 5 client may set up (Topic Alias Maximum); 0 allows none
 * @param responseInformationPrefix MQTT 5: answered as Response Information ({@code <prefix><client id>/}) to a
 *                               client asking for it; null answers nothing
 */
public record MqttConfig(Integer maxPacketSizeBytes, Integer maxClientIdLength, Integer connectTimeoutSeconds,
                         Integer maxKeepAliveSeconds, Integer receiveMaximum, Integer topicAliasMaximum,
                         String responseInformationPrefix) {

    /** Without topic aliases' and response information's settings: their defaults. */
    public MqttConfig(Integer maxPacketSizeBytes, Integer maxClientIdLength, Integer connectTimeoutSeconds,
                      Integer maxKeepAliveSeconds, Integer receiveMaximum) {
        this(maxPacketSizeBytes, maxClientIdLength, connectTimeoutSeconds, maxKeepAliveSeconds, receiveMaximum, null,
                null);
    }

    public MqttConfig {
        maxPacketSizeBytes = maxPacketSizeBytes == null ? 262_144 : maxPacketSizeBytes;
        maxClientIdLength = maxClientIdLength == null ? 128 : maxClientIdLength;
        connectTimeoutSeconds = connectTimeoutSeconds == null ? 10 : connectTimeoutSeconds;
        maxKeepAliveSeconds = maxKeepAliveSeconds == null ? 0 : maxKeepAliveSeconds;
        receiveMaximum = receiveMaximum == null ? 1024 : receiveMaximum;
        topicAliasMaximum = topicAliasMaximum == null ? 16 : topicAliasMaximum;
    }
}
