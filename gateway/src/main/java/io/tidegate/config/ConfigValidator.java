package io.tidegate.config;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Semantic checks on a bound configuration: ranges, cross references, files. Collects every problem
 * before failing, so one run shows everything to fix.
 */
public final class ConfigValidator {

    private static final long MQTT_MAX_REMAINING_LENGTH = 268_435_455;

    private ConfigValidator() {
    }

    /** @throws ConfigException listing every problem found */
    public static void validate(TidegateConfig config) {
        List<ConfigProblem> problems = problems(config);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /** Every problem with {@code config}; empty when it is usable. */
    public static List<ConfigProblem> problems(TidegateConfig config) {
        ProblemCollector problems = new ProblemCollector();
        ConfigPath root = ConfigPath.ROOT;
        checkDataDir(root.child("dataDir"), config, problems);
        checkListeners(root.child("listeners"), config.listeners(), problems);
        if (problems.present(root.child("mqtt"), config.mqtt(), ConfigShape.of(MqttConfig.class).expected())) {
            checkMqtt(root.child("mqtt"), config.mqtt(), problems);
        }
        if (problems.present(root.child("authorization"), config.authorization(), ConfigShape.of(AuthorizationConfig.class).expected())) {
            AuthorizationValidator.check(root.child("authorization"), config.authorization(), problems);
        }
        if (problems.present(root.child("pipeline"), config.pipeline(), ConfigShape.of(PipelineConfig.class).expected())) {
            checkRingSize(root.child("pipeline").child("ringSize"), config.pipeline().ringSize(), problems);
        }
        if (problems.present(root.child("outbox"), config.outbox(), ConfigShape.of(OutboxConfig.class).expected())) {
            problems.range(root.child("outbox").child("syncIntervalMs"), config.outbox().syncIntervalMs(), 10, 60_000);
            problems.range(root.child("outbox").child("minFreeDiskBytes"), config.outbox().minFreeDiskBytes(), 0,
                    Long.MAX_VALUE);
            problems.range(root.child("outbox").child("pretouchAheadBytes"), config.outbox().pretouchAheadBytes(), 0,
                    1L << 30);
        }
        DestinationValidator.checkDestinations(root.child("destinations"), config.destinations(), problems);
        if (problems.present(root.child("routing"), config.routing(), ConfigShape.of(RoutingConfig.class).expected())) {
            DestinationValidator.checkRouting(root.child("routing"), config.routing(), config.destinations(), problems);
        }
        RuleValidator.check(root.child("rules"), config.rules(), config.destinations(), problems);
        if (problems.present(root.child("admin"), config.admin(), ConfigShape.of(AdminConfig.class).expected())) {
            problems.host(root.child("admin").child("host"), config.admin().host());
            problems.port(root.child("admin").child("port"), config.admin().port());
        }
        return problems.problems();
    }

    private static void checkDataDir(ConfigPath path, TidegateConfig config, ProblemCollector problems) {
        String expected = "a directory path for the gateway's data";
        if (problems.present(path, config.dataDir(), expected) && config.dataDir().toString().isBlank()) {
            problems.notAllowed(path, config.dataDir(), expected);
        }
    }

    private static void checkListeners(ConfigPath path, Map<String, ListenerConfig> listeners, ProblemCollector problems) {
        if (listeners.values().stream().noneMatch(ListenerConfig::isEnabled)) {
            problems.add(path, "no enabled listener; expected at least one listener with enabled: true");
        }
        new TreeMap<>(listeners).forEach((name, listener) -> {
            ConfigPath listenerPath = path.child(name);
            problems.host(listenerPath.child("host"), listener.host());
            problems.port(listenerPath.child("port"), listener.port());
            if (listener.tls() != null) {
                TlsValidator.check(listenerPath.child("tls"), listener.tls(), listener.isEnabled(), problems);
            }
        });
    }

    private static void checkMqtt(ConfigPath path, MqttConfig mqtt, ProblemCollector problems) {
        problems.range(path.child("maxPacketSizeBytes"), mqtt.maxPacketSizeBytes(), 64, MQTT_MAX_REMAINING_LENGTH);
        problems.range(path.child("maxClientIdLength"), mqtt.maxClientIdLength(), 1, 65_535);
        problems.range(path.child("connectTimeoutSeconds"), mqtt.connectTimeoutSeconds(), 1, 3600);
        problems.range(path.child("maxKeepAliveSeconds"), mqtt.maxKeepAliveSeconds(), 0, 65_535);
        problems.range(path.child("receiveMaximum"), mqtt.receiveMaximum(), 1, 65_535);
        problems.range(path.child("topicAliasMaximum"), mqtt.topicAliasMaximum(), 0, 65_535);
        problems.range(path.child("maxSessionExpirySeconds"), mqtt.maxSessionExpirySeconds(), 0,
                MqttConfig.SESSION_NEVER_EXPIRES);
        problems.range(path.child("maxQueuedMessages"), mqtt.maxQueuedMessages(), 1, 1_000_000);
    }

    private static void checkRingSize(ConfigPath path, Integer ringSize, ProblemCollector problems) {
        String expected = "a power of two from 64 to 4194304";
        if (problems.present(path, ringSize, expected)
                && (ringSize < 64 || ringSize > 4_194_304 || Integer.bitCount(ringSize) != 1)) {
            problems.notAllowed(path, ringSize, expected);
        }
    }
}
