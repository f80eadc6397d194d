package io.tidegate.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns the merged tree into {@link TidegateConfig} records, reporting mistakes by field path. */
final class ConfigBinder {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new ConfigJacksonModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // 1883.5 is a typo, not a port to round down.
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            // isEnabled()/isTls() are conveniences on the records, not config fields.
            .visibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
            .build();

    private ConfigBinder() {
    }

    static TidegateConfig bind(ObjectNode tree) {
        List<ConfigProblem> problems = new ArrayList<>();
        findNullEntries(tree, ConfigShape.root(), ConfigPath.ROOT, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        try {
            return MAPPER.treeToValue(tree, TidegateConfig.class);
        } catch (JacksonException e) {
            throw new ConfigException(BindingErrors.describe(e, tree), e);
        }
    }

    /** Map and list entries cannot be null: the records copy them with {@code Map.copyOf}/{@code List.copyOf}. */
    private static void findNullEntries(JsonNode node, ConfigShape shape, ConfigPath path, List<ConfigProblem> problems) {
        boolean collection = shape.kind() == ConfigShape.Kind.MAP || shape.kind() == ConfigShape.Kind.LIST;
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                check(field.getValue(), shape.child(field.getKey()), path.child(field.getKey()), collection, problems);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                check(node.get(i), shape.child(i), path.index(i), collection, problems);
            }
        }
    }

    private static void check(JsonNode value, Optional<ConfigShape> shape, ConfigPath path, boolean inCollection,
                              List<ConfigProblem> problems) {
        if (shape.isEmpty()) {
            return; // unknown field or wrong container; binding reports it with more context
        }
        if (value.isNull() && inCollection) {
            problems.add(new ConfigProblem(path.toString(), "null is not allowed; expected " + shape.get().expected()));
        } else {
            findNullEntries(value, shape.get(), path, problems);
        }
    }
}
