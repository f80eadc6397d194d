package io.tidegate.loadgen.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import picocli.CommandLine.Option;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;

/**
 * Every setting of a load run, as written in a scenario file (camelCase keys) or given on the
 * command line (kebab-case flags). Each field is null when not given, so a scenario file and the
 * flags can be layered: {@code file.overriddenBy(flags)}, then {@link LoadSpec#from} fills defaults
 * and validates. One class for both keeps the two vocabularies from drifting apart.
 */
public final class ScenarioSettings {

    @JsonProperty("broker")
    @Option(names = "--broker", paramLabel = "URL", description = "mqtt://HOST:PORT or mqtts://HOST:PORT (default mqtt://127.0.0.1:1883)")
    String broker;

    @JsonProperty("devices")
    @Option(names = "--devices", paramLabel = "N", description = "Simulated devices, one connection each (default 10)")
    Integer devices;

    @JsonProperty("devicePrefix")
    @Option(names = "--device-prefix", paramLabel = "NAME", description = "Device ids are NAME-<n> (default device)")
    String devicePrefix;

    @JsonProperty("firstDevice")
    @Option(names = "--first-device", paramLabel = "N", description = "Number of the first device, to split a fleet over processes (default 1)")
    Integer firstDevice;

    @JsonProperty("connectRate")
    @Option(names = "--connect-rate", paramLabel = "PER_S", description = "New connections per second (default 1000)")
    Double connectRate;

    @JsonProperty("maxPendingConnects")
    @Option(names = "--max-pending-connects", paramLabel = "N", description = "Connections still handshaking at once (default 1000)")
    Integer maxPendingConnects;

    @JsonProperty("rate")
    @Option(names = "--rate", paramLabel = "PER_S", description = "Publishes per second per device; 0 = as fast as the in-flight window allows (default 1)")
    Double rate;

    @JsonProperty("messages")
    @Option(names = "--messages", paramLabel = "N", description = "Publishes per device, then stop; 0 = until the duration ends (default 0)")
    Long messages;

    @JsonProperty("warmup")
    @Option(names = "--warmup", paramLabel = "TIME", description = "Publish this long before measuring (the load generator's JIT and the broker warm up on the same schedule); added to the duration; counts and latencies restart after it (default 0)")
    String warmup;

    @JsonProperty("duration")
    @Option(names = "--duration", paramLabel = "TIME", description = "Run time including the connect ramp, e.g. 30s, 5m; 0 = until all messages are sent (default 30s)")
    String duration;

    @JsonProperty("qos")
    @Option(names = "--qos", paramLabel = "0|1|2", description = "Publish QoS (default 1)")
    Integer qos;

    @JsonProperty("mqttVersion")
    @Option(names = "--mqtt-version", paramLabel = "3.1.1|5", description = "Protocol version (default 3.1.1)")
    String mqttVersion;

    @JsonProperty("topic")
    @Option(names = "--topic", paramLabel = "TEMPLATE", description = "Publish topic; {device} is the device id (default dt/{device}/telemetry)")
    String topic;

    @JsonProperty("payloadTemplate")
    @Option(names = "--payload-template", paramLabel = "JSON", description = "Payload with {device} {seq} {sentAtMs} {sentAtUs} {walk:START:STEP}; @FILE reads it from a file")
    String payloadTemplate;

    @JsonProperty("payloadSize")
    @Option(names = "--payload-size", paramLabel = "BYTES", description = "Pad each JSON payload to this size with a \"pad\" field (default: unpadded)")
    Integer payloadSize;

    @JsonProperty("inFlight")
    @Option(names = "--in-flight", paramLabel = "N", description = "Unacknowledged QoS 1/2 publishes per device (default 10)")
    Integer inFlight;

    @JsonProperty("keepAlive")
    @Option(names = "--keep-alive", paramLabel = "TIME", description = "MQTT keep alive (default 60s)")
    String keepAlive;

    @JsonProperty("username")
    @Option(names = "--username", paramLabel = "NAME", description = "CONNECT user name ({device} is the device id)")
    String username;

    @JsonProperty("password")
    @Option(names = "--password", paramLabel = "SECRET", description = "CONNECT password")
    String password;

    @JsonProperty("caFile")
    @Option(names = "--ca", paramLabel = "PEM", description = "CA bundle that signed the broker's certificate")
    Path caFile;

    @JsonProperty("insecure")
    @Option(names = "--insecure", description = "Trust any broker certificate (testing only)")
    Boolean insecure;

    @JsonProperty("certFile")
    @Option(names = "--cert", paramLabel = "PEM", description = "One client certificate shared by all devices")
    Path certFile;

    @JsonProperty("keyFile")
    @Option(names = "--key", paramLabel = "PEM", description = "Private key of --cert")
    Path keyFile;

    @JsonProperty("deviceCaCert")
    @Option(names = "--device-ca-cert", paramLabel = "PEM", description = "CA certificate that issues one client certificate per device (CN = device id)")
    Path deviceCaCert;

    @JsonProperty("deviceCaKey")
    @Option(names = "--device-ca-key", paramLabel = "PEM", description = "Private key of --device-ca-cert")
    Path deviceCaKey;

    @JsonProperty("localAddresses")
    @Option(names = "--local-addresses", paramLabel = "RANGE", description = "Source addresses, e.g. 127.0.0.1-127.0.0.8; auto = spread over 127.0.0.x for loopback brokers (default auto)")
    String localAddresses;

    @JsonProperty("ioThreads")
    @Option(names = "--io-threads", paramLabel = "N", description = "Event-loop threads shared by all connections (default: cores)")
    Integer ioThreads;

    @JsonProperty("subscribe")
    @Option(names = "--subscribe", description = "Also subscribe and measure publish-to-delivery latency")
    Boolean subscribe;

    @JsonProperty("subscribeBroker")
    @Option(names = "--subscribe-broker", paramLabel = "URL", description = "Broker for the subscribers (default: --broker)")
    String subscribeBroker;

    @JsonProperty("subscribeTopic")
    @Option(names = "--subscribe-topic", paramLabel = "FILTER", description = "Subscription filter (default: the topic with {device} as +)")
    String subscribeTopic;

    @JsonProperty("connectTimeout")
    @Option(names = "--connect-timeout", paramLabel = "TIME", description = "TCP + TLS + CONNACK deadline per device (default 10s)")
    String connectTimeout;

    @JsonProperty("drainTimeout")
    @Option(names = "--drain-timeout", paramLabel = "TIME", description = "Wait for outstanding acknowledgements at the end (default 10s)")
    String drainTimeout;

    /** A copy of this with every setting that {@code overrides} has replaced by its value. */
    public ScenarioSettings overriddenBy(ScenarioSettings overrides) {
        ScenarioSettings merged = new ScenarioSettings();
        try {
            for (Field field : settingFields()) {
                Object value = field.get(overrides);
                field.set(merged, value != null ? value : field.get(this));
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        return merged;
    }

    /** Sets a setting by its scenario-file key; used by tests and by callers that build runs in code. */
    public ScenarioSettings with(String key, Object value) {
        try {
            for (Field field : settingFields()) {
                if (field.getAnnotation(JsonProperty.class).value().equals(key)) {
                    field.set(this, value);
                    return this;
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalArgumentException("unknown scenario key: " + key);
    }

    static Field[] settingFields() {
        return java.util.Arrays.stream(ScenarioSettings.class.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()) && f.isAnnotationPresent(JsonProperty.class))
                .toArray(Field[]::new);
    }
}
