package io.tidegate.config;

import java.nio.file.Path;
import java.util.List;

/**
 * An AWS IoT Core destination: MQTT 5 over mutual TLS to the account's device endpoint, through a
 * pool of connections so that no connection exceeds IoT Core's per-connection limits.
 *
 * @param endpoint              the account's device data endpoint, e.g. {@code abc123-ats.iot.eu-west-1.amazonaws.com}
 * @param port                  8883, or 443 (then ALPN {@code x-amzn-mqtt-ca} is offered)
 * @param alpn                  offer ALPN {@code x-amzn-mqtt-ca}; default true on port 443 only
 * @param certificate           the gateway's X.509 certificate (PEM) registered in IoT Core
 * @param privateKey            its private key (PEM)
 * @param caCertificate         CA bundle (PEM) the endpoint's certificate must chain to; default the JDK's trust store
 *                              (which holds Amazon Root CA 1)
 * @param clientIdPrefix        connection {@code n} uses client id {@code <prefix>-<n>}; the IoT policy must allow them
 * @param connections           connections in the pool
 * @param maxPublishesPerSecond per connection (IoT Core: 100)
 * @param maxBytesPerSecond     per connection (IoT Core: 512 KiB)
 * @param maxInFlight           unacknowledged publishes per connection (IoT Core: 100)
 * @param topic                 {@code topic} (default: the device's own topic) or a fixed topic; a rule action's
 *                              {@code topic} setting (a template) overrides it per message
 * @param basicIngestRule       publish to {@code $aws/rules/<rule>/<topic>} (Basic Ingest: no messaging charge)
 * @param downstream            topic filters subscribed upstream and delivered to local subscribers (commands)
 * @param keepAliveSeconds      MQTT keep alive (IoT Core accepts 30 to 1200)
 * @param ackTimeoutSeconds     a publish without PUBACK for this long closes its connection and is sent again
 */
public record IotCoreConfig(String endpoint, Integer port, Boolean alpn, Path certificate, Path privateKey,
                            Path caCertificate, String clientIdPrefix, Integer connections,
                            Integer maxPublishesPerSecond, Integer maxBytesPerSecond, Integer maxInFlight,
                            String topic, String basicIngestRule, List<String> downstream, Integer keepAliveSeconds,
                            Integer ackTimeoutSeconds) {

    public static final int IOT_CORE_PUBLISHES_PER_SECOND = 100;
    public static final int IOT_CORE_BYTES_PER_SECOND = 512 * 1024;
    public static final int IOT_CORE_IN_FLIGHT = 100;

    public IotCoreConfig {
        port = port == null ? 8883 : port;
        alpn = alpn == null ? port == 443 : alpn;
        connections = connections == null ? 4 : connections;
        maxPublishesPerSecond = maxPublishesPerSecond == null ? IOT_CORE_PUBLISHES_PER_SECOND : maxPublishesPerSecond;
        maxBytesPerSecond = maxBytesPerSecond == null ? IOT_CORE_BYTES_PER_SECOND : maxBytesPerSecond;
        maxInFlight = maxInFlight == null ? IOT_CORE_IN_FLIGHT : maxInFlight;
        topic = topic == null ? KeySource.TOPIC : topic;
        downstream = downstream == null ? List.of() : List.copyOf(downstream);
        keepAliveSeconds = keepAliveSeconds == null ? 60 : keepAliveSeconds;
        ackTimeoutSeconds = ackTimeoutSeconds == null ? 30 : ackTimeoutSeconds;
    }
}
