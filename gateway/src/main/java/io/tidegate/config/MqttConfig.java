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
 * @param maxSessionExpirySeconds how long a session outlives its connection at most: caps an MQTT 5 client's
 *                               Session Expiry Interval, and is the expiry of an MQTT 3.1.1 session with
 *                               Clean Session 0; 0 ends every session with its connection
 * @param maxQueuedMessages      messages one session holds for its client beyond those in flight: while
 *                               the client is offline, or its window or socket is full; more are dropped
 *                               and counted
 */
public record MqttConfig(Integer maxPacketSizeBytes, Integer maxClientIdLength, Integer connectTimeoutSeconds,
                         Integer maxKeepAliveSeconds, Integer receiveMaximum, Integer topicAliasMaximum,
                         String responseInformationPrefix, Long maxSessionExpirySeconds, Integer maxQueuedMessages) {

    /** MQTT 5's "never expires" Session Expiry Interval (3.1.2.11.2). */
    public static final long SESSION_NEVER_EXPIRES = 0xFFFF_FFFFL;

    /** Without the session settings: their defaults. */
    public MqttConfig(Integer maxPacketSizeBytes, Integer maxClientIdLength, Integer connectTimeoutSeconds,
                      Integer maxKeepAliveSeconds, Integer receiveMaximum, Integer topicAliasMaximum,
                      String responseInformationPrefix) {
        this(maxPacketSizeBytes, maxClientIdLength, connectTimeoutSeconds, maxKeepAliveSeconds, receiveMaximum,
                topicAliasMaximum, responseInformationPrefix, null, null);
    }

    /** Without topic aliases', response information's and sessions' settings: their defaults. */
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
        maxSessionExpirySeconds = maxSessionExpirySeconds == null ? 86_400L : maxSessionExpirySeconds;
        maxQueuedMessages = maxQueuedMessages == null ? 10_000 : maxQueuedMessages;
    }

    /** The same limits with other session settings (tests and tools). */
    public MqttConfig withSessions(long maxSessionExpirySeconds, int maxQueuedMessages) {
        return new MqttConfig(maxPacketSizeBytes, maxClientIdLength, connectTimeoutSeconds, maxKeepAliveSeconds,
                receiveMaximum, topicAliasMaximum, responseInformationPrefix, maxSessionExpirySeconds,
                maxQueuedMessages);
    }
}
