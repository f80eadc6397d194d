package io.tidegate.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Applies {@code TIDEGATE_*} environment variables to the merged config tree, e.g.
 * {@code TIDEGATE_LISTENERS_MQTTS_PORT=8884} sets {@code listeners.mqtts.port}. A variable that matches
 * no field is an error, so a typo cannot silently leave a setting at its default.
 */
final class EnvironmentOverrides {

    static final String PREFIX = "TIDEGATE_";
    /**
     * {@code TIDEGATE_*} variables that are not config paths: the config file's location (read by
     * the CLI), the log levels (read by logback.xml) and the JVM options (read by bin/tidegate).
     */
    static final Set<String> RESERVED_VARIABLES =
            Set.of("TIDEGATE_CONFIG", "TIDEGATE_LOG_LEVEL", "TIDEGATE_EVENT_LOG_LEVEL", "TIDEGATE_JAVA_OPTS");

    private static final Logger LOG = LoggerFactory.getLogger(EnvironmentOverrides.class);

    private EnvironmentOverrides() {
    }

    /**
     * @return the variable that set each overridden path, to point at it if its value is rejected later
     * @throws ConfigException listing every variable that could not be applied
     */
    static Map<ConfigPath, String> apply(ObjectNode tree, Map<String, String> environment) {
        List<ConfigProblem> problems = new ArrayList<>();
        Map<ConfigPath, String> applied = new LinkedHashMap<>();
        // Sorted, so errors and the keys new map entries get do not depend on the map's order.
        new TreeMap<>(environment).forEach((name, value) -> {
            if (name.startsWith(PREFIX) && !RESERVED_VARIABLES.contains(name)) {
                applyOne(tree, name, value, applied).ifPresent(problems::add);
            }
        });
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return applied;
    }

    private static Optional<ConfigProblem> applyOne(ObjectNode tree, String name, String value,
                                                    Map<ConfigPath, String> applied) {
        String subject = "environment variable " + name;
        EnvKeyResolver resolver = new EnvKeyResolver(name.substring(PREFIX.length()));
        Optional<EnvKeyResolver.Match> match = resolver.resolve(tree);
        if (match.isEmpty()) {
            return Optional.of(new ConfigProblem(subject, "matches no configuration field; " + resolver.hint()));
        }
        ConfigPath path = match.get().path();
        String earlier = applied.get(path);
        if (earlier != null) {
            return Optional.of(new ConfigProblem(subject, "sets " + path + ", which " + earlier + " sets too; keep one of them"));
        }
        try {
            set(tree, path, parseValue(value, match.get().shape()));
        } catch (IllegalArgumentException e) {
            return Optional.of(new ConfigProblem(subject, e.getMessage()));
        }
        applied.put(path, name);
        LOG.debug("{} overrides {}", name, path);
        return Optional.empty();
    }

    /**
     * Text fields take the value verbatim; other fields parse it as a YAML scalar (numbers, booleans), and
     * a value starting with {@code [} as a YAML flow list such as {@code [a/#, b/#]}.
     */
    static JsonNode parseValue(String raw, ConfigShape target) {
        if (target.isTextual()) {
            return TextNode.valueOf(raw);
        }
        if (raw.stripLeading().startsWith("[")) {
            return parseFlowList(raw);
        }
        if (target.kind() == ConfigShape.Kind.LIST) {
            ArrayNode single = YamlSources.YAML.createArrayNode();
            return single.add(parseValue(raw, target.child(0).orElseThrow()));
        }
        return parseScalar(raw);
    }

    private static JsonNode parseScalar(String raw) {
        try {
            JsonNode node = YamlSources.YAML.readTree(raw);
            if (node != null && node.isValueNode()) {
                return node;
            }
        } catch (JacksonException e) {
            // Not YAML at all; binding reports the text against the field's type.
        }
        return TextNode.valueOf(raw);
    }

    private static JsonNode parseFlowList(String raw) {
        JsonNode node;
        try {
            node = YamlSources.YAML.readTree(raw);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(ConfigValues.quote(raw) + " is not a valid YAML flow list ("
                    + YamlSources.problemText(e) + "); expected e.g. [a/#, b/#], quoting items that start with #"
                    + " or contain ${...}, braces or commas: [\"#\", \"dt/${clientid}/#\"]");
        }
        if (node == null || !node.isArray()) {
            throw new IllegalArgumentException(ConfigValues.quote(raw) + " is not allowed; expected a YAML flow list such as [a/#, b/#]");
        }
        return node;
    }

    private static void set(ObjectNode tree, ConfigPath path, JsonNode value) {
        ObjectNode parent = tree;
        List<Object> segments = path.segments();
        for (Object segment : segments.subList(0, segments.size() - 1)) {
            String key = (String) segment;
            if (!(parent.get(key) instanceof ObjectNode)) {
                parent.putObject(key); // creates an absent section, or replaces an explicit null
            }
            parent = (ObjectNode) parent.get(key);
        }
        parent.set((String) segments.get(segments.size() - 1), value);
    }
}
