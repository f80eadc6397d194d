package io.tidegate.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a rule's result goes, and the destination-specific settings for it (a Kinesis partition
 * key, an IoT Core topic, ...). Setting values are substitution templates: {@code ${expression}}
 * parts are evaluated per message with the SQL expression language, e.g.
 * {@code partitionKey: ${topic(2)}} or {@code topic: telemetry/${clientid()}}.
 *
 * @param destination the name of a configured destination
 * @param settings    name → template; kept in the order written
 */
public record ActionConfig(String destination, Map<String, String> settings) {

    public ActionConfig {
        settings = settings == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }
}
