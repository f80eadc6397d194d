package io.tidegate.loadgen.scenario;

import io.tidegate.loadgen.payload.PayloadTemplate;
import io.tidegate.loadgen.payload.TopicTemplate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A validated load run: {@link ScenarioSettings} with defaults filled in and every value checked.
 * Messages name the scenario key (the flag is the same words in kebab-case).
 */
public record LoadSpec(
        BrokerAddress broker,
        int devices,
        String devicePrefix,
        int firstDevice,
        double connectRatePerSecond,
        int maxPendingConnects,
        double ratePerDevice,
        long messagesPerDevice,
        Duration duration,
        Duration warmup,
        int qos,
        boolean mqtt5,
        TopicTemplate topic,
        PayloadTemplate payload,
        int inFlight,
        Duration keepAlive,
        String username,
        String password,
        TlsSettings tls,
        String localAddresses,
        int ioThreads,
        Optional<SubscribeSpec> subscribe,
        Duration connectTimeout,
        Duration drainTimeout) {

    /** Client TLS: whom to trust, and which certificate each device presents. */
    public record TlsSettings(Path caFile, boolean insecure, Path certFile, Path keyFile, Path deviceCaCert,
                              Path deviceCaKey) {
        public boolean perDeviceCertificates() {
            return deviceCaCert != null;
        }
    }

    /** Subscribers that measure publish-to-delivery latency. */
    public record SubscribeSpec(BrokerAddress broker, String topicFilter) {
    }

    public static final String DEFAULT_TOPIC = "dt/{device}/telemetry";

    public static LoadSpec from(ScenarioSettings s) {
        BrokerAddress broker = BrokerAddress.parse("broker", or(s.broker, "mqtt://127.0.0.1:1883"));
        int devices = range("devices", or(s.devices, 10), 1, 10_000_000);
        String prefix = or(s.devicePrefix, "device");
        int firstDevice = range("firstDevice", or(s.firstDevice, 1), 0, Integer.MAX_VALUE - devices);
        double connectRate = positive("connectRate", or(s.connectRate, 1000.0));
        int maxPending = range("maxPendingConnects", or(s.maxPendingConnects, 1000), 1, 1_000_000);
        double rate = or(s.rate, 1.0);
        if (rate < 0 || Double.isNaN(rate) || rate > 1_000_000) {
            throw new ScenarioException("rate: " + rate + " is not allowed; expected 0 (unlimited) to 1000000 per second");
        }
        long messages = or(s.messages, 0L);
        if (messages < 0) {
            throw new ScenarioException("messages: " + messages + " is not allowed; expected 0 (no limit) or more");
        }
        Duration duration = Durations.parse("duration", or(s.duration, messages > 0 ? "0" : "30s"));
        if (duration.isZero() && messages == 0) {
            throw new ScenarioException("duration: 0 needs messages > 0, or the run would never end");
        }
        Duration warmup = Durations.parse("warmup", or(s.warmup, "0"));
        if (!warmup.isZero() && duration.isZero()) {
            throw new ScenarioException("warmup: needs a duration, since the measurement starts after it");
        }
        int qos = range("qos", or(s.qos, 1), 0, 2);
        String version = or(s.mqttVersion, "3.1.1");
        boolean mqtt5 = switch (version) {
            case "3.1.1", "3", "311" -> false;
            case "5", "5.0" -> true;
            default -> throw new ScenarioException("mqttVersion: '" + version + "' is not allowed; expected 3.1.1 or 5");
        };
        TopicTemplate topic = TopicTemplate.parse("topic", or(s.topic, DEFAULT_TOPIC));
        Integer payloadSize = s.payloadSize;
        if (payloadSize != null) {
            range("payloadSize", payloadSize, 1, 256 * 1024 * 1024);
        }
        PayloadTemplate payload = PayloadTemplate.parse("payloadTemplate", templateText(s.payloadTemplate, payloadSize),
                payloadSize == null ? 0 : payloadSize);
        int inFlight = range("inFlight", or(s.inFlight, 10), 1, 65_535);
        Duration keepAlive = Durations.parse("keepAlive", or(s.keepAlive, "60s"));
        if (keepAlive.toSeconds() > 65_535) {
            throw new ScenarioException("keepAlive: at most 65535s");
        }
        TlsSettings tls = tls(s, broker);
        int ioThreads = range("ioThreads", or(s.ioThreads, Runtime.getRuntime().availableProcessors()), 1, 1024);
        Optional<SubscribeSpec> subscribe = Optional.empty();
        if (Boolean.TRUE.equals(s.subscribe)) {
            BrokerAddress subscribeBroker = s.subscribeBroker == null ? broker
                    : BrokerAddress.parse("subscribeBroker", s.subscribeBroker);
            subscribe = Optional.of(new SubscribeSpec(subscribeBroker, or(s.subscribeTopic, topic.asFilter())));
        }
        Duration connectTimeout = Durations.parse("connectTimeout", or(s.connectTimeout, "10s"));
        Duration drainTimeout = Durations.parse("drainTimeout", or(s.drainTimeout, "10s"));
        return new LoadSpec(broker, devices, prefix, firstDevice, connectRate, maxPending, rate, messages, duration,
                warmup, qos, mqtt5, topic, payload, inFlight, keepAlive, s.username, s.password, tls,
                or(s.localAddresses, "auto"), ioThreads, subscribe, connectTimeout, drainTimeout);
    }

    /** Device id of the device with the given index (0-based within this run). */
    public String deviceId(int index) {
        return devicePrefix + "-" + (firstDevice + index);
    }

    public boolean paced() {
        return ratePerDevice > 0;
    }

    /** The settings as a flat map, for the report. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("broker", broker.toString());
        m.put("devices", devices);
        m.put("deviceIds", deviceId(0) + " .. " + deviceId(devices - 1));
        m.put("connectRate", connectRatePerSecond);
        m.put("rate", paced() ? ratePerDevice : "unlimited");
        m.put("messages", messagesPerDevice == 0 ? "unlimited" : messagesPerDevice);
        m.put("duration", duration.isZero() ? "until messages are sent" : Durations.format(duration));
        if (!warmup.isZero()) {
            m.put("warmup", Durations.format(warmup));
        }
        m.put("qos", qos);
        m.put("mqttVersion", mqtt5 ? "5" : "3.1.1");
        m.put("topic", topic.text());
        m.put("payload", payload.describe());
        m.put("inFlight", inFlight);
        m.put("tls", !broker.tls() ? "off" : tls.perDeviceCertificates() ? "mutual, one certificate per device"
                : tls.certFile() != null ? "mutual, shared certificate" : "server only");
        subscribe.ifPresent(sub -> m.put("subscribe", sub.topicFilter() + " on " + sub.broker()));
        return m;
    }

    private static TlsSettings tls(ScenarioSettings s, BrokerAddress broker) {
        boolean insecure = Boolean.TRUE.equals(s.insecure);
        if ((s.certFile == null) != (s.keyFile == null)) {
            throw new ScenarioException("certFile and keyFile: give both or neither");
        }
        if ((s.deviceCaCert == null) != (s.deviceCaKey == null)) {
            throw new ScenarioException("deviceCaCert and deviceCaKey: give both or neither");
        }
        if (s.certFile != null && s.deviceCaCert != null) {
            throw new ScenarioException("certFile and deviceCaCert: choose one shared certificate or one per device");
        }
        if (broker.tls() && s.caFile == null && !insecure) {
            throw new ScenarioException("caFile: an mqtts:// broker needs the CA that signed it (or insecure: true)");
        }
        for (Path p : new Path[] {s.caFile, s.certFile, s.keyFile, s.deviceCaCert, s.deviceCaKey}) {
            if (p != null && !Files.isReadable(p)) {
                throw new ScenarioException("TLS file " + p + " is not readable");
            }
        }
        return new TlsSettings(s.caFile, insecure, s.certFile, s.keyFile, s.deviceCaCert, s.deviceCaKey);
    }

    private static String templateText(String template, Integer payloadSize) {
        if (template == null) {
            return payloadSize == null ? PayloadTemplate.DEFAULT : PayloadTemplate.MINIMAL;
        }
        if (template.startsWith("@")) {
            try {
                return Files.readString(Path.of(template.substring(1))).strip();
            } catch (IOException e) {
                throw new ScenarioException("payloadTemplate: cannot read " + template.substring(1) + ": " + e.getMessage());
            }
        }
        return template;
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static int range(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ScenarioException(key + ": " + value + " is not allowed; expected " + min + " to " + max);
        }
        return value;
    }

    private static double positive(String key, double value) {
        if (!(value > 0)) {
            throw new ScenarioException(key + ": " + value + " is not allowed; expected a number above 0");
        }
        return value;
    }
}
