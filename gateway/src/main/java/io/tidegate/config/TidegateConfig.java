package io.tidegate.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The whole, validated configuration of one gateway. Immutable; built by {@link ConfigLoader} from
 * the built-in defaults, an optional YAML file and {@code TIDEGATE_*} environment overrides.
 *
 * @param dataDir      root of everything the gateway writes: outboxes, positions, sinks, dev certificates
 * @param listeners    MQTT listeners by name (the defaults are {@code mqtt} and {@code mqtts})
 * @param mqtt         protocol limits shared by all listeners
 * @param authorization topic policies and who gets which
 * @param pipeline     the ingest ring
 * @param outbox       the durable per-destination queues
 * @param routing      where messages go that no rule matched
 * @param destinations forwarding targets by name
 * @param admin        the HTTP admin endpoint
 * @param rules        AWS IoT SQL rules routing messages to destinations, in order; none sends
 *                     everything to {@code routing.defaultDestination}
 */
public record TidegateConfig(
        Path dataDir,
        Map<String, ListenerConfig> listeners,
        MqttConfig mqtt,
        AuthorizationConfig authorization,
        PipelineConfig pipeline,
        OutboxConfig outbox,
        RoutingConfig routing,
        Map<String, DestinationConfig> destinations,
        AdminConfig admin,
        List<RuleConfig> rules) {

    public TidegateConfig {
        listeners = listeners == null ? Map.of() : Map.copyOf(listeners);
        destinations = destinations == null ? Map.of() : Map.copyOf(destinations);
        rules = rules == null ? List.of() : List.copyOf(rules);
    }
}
