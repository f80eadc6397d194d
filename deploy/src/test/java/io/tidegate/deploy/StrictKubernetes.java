package io.tidegate.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Parses Kubernetes YAML into fabric8's typed model so that an unknown or misspelt field fails.
 *
 * <p>fabric8's classes collect unknown fields in an {@code additionalProperties} map through a
 * {@code @JsonAnySetter} (and its own {@code KubernetesSerialization} turns type mismatches into such
 * entries too), so {@code FAIL_ON_UNKNOWN_PROPERTIES} alone would never fire. This mapper removes every
 * any-setter before binding, enables {@code FAIL_ON_UNKNOWN_PROPERTIES}, refuses scalar coercion
 * ({@code replicas: "2"}) and duplicate keys. The class comes from the document's
 * {@code apiVersion}/{@code kind}, looked up among the model classes fabric8 registers; custom resources
 * (the ServiceMonitor) have small typed models of their own.
 */
final class StrictKubernetes {

    /** YAML reader that refuses duplicate keys. */
    static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .build();

    static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .addModule(new SimpleModule("no-any-setter").setDeserializerModifier(new BeanDeserializerModifier() {
                @Override
                public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription description,
                                                             BeanDeserializerBuilder builder) {
                    builder.setAnySetter(null);
                    return builder;
                }
            }))
            .build();

    /** Custom resources this repository uses, by "apiVersion/kind". */
    private static final Map<String, Class<?>> CUSTOM = Map.of(
            "monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class);

    private static final Map<String, Class<?>> KINDS = kinds();

    private StrictKubernetes() {
    }

    private static Map<String, Class<?>> kinds() {
        Map<String, Class<?>> kinds = new TreeMap<>(CUSTOM);
        ServiceLoader.load(KubernetesResource.class).stream()
                .map(ServiceLoader.Provider::type)
                .filter(HasMetadata.class::isAssignableFrom)
                // The core group is the empty one: fabric8 spells its apiVersion "/v1".
                .forEach(type -> kinds.putIfAbsent(HasMetadata.getApiVersion(type).replaceFirst("^/", "") + "/"
                        + HasMetadata.getKind(type), type));
        return kinds;
    }

    /** The model class for a document, or an exception naming what is unknown. */
    static Class<?> modelClass(JsonNode document) {
        String apiVersion = document.path("apiVersion").asText("");
        String kind = document.path("kind").asText("");
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            throw new IllegalArgumentException("a Kubernetes resource needs apiVersion and kind");
        }
        Class<?> type = KINDS.get(apiVersion + "/" + kind);
        if (type == null) {
            throw new IllegalArgumentException(kind + " in " + apiVersion + " is not a known Kubernetes kind (fabric8 "
                    + "model) nor one of the custom resources with a model here: " + CUSTOM.keySet());
        }
        return type;
    }

    /** Binds one resource strictly. */
    static Object parse(JsonNode document) {
        Class<?> type = modelClass(document);
        try {
            return STRICT.treeToValue(document, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Binds a strategic-merge patch: like a resource, without the {@code $patch}-style directives. */
    static Object parsePatch(JsonNode patch) {
        return parse(withoutDirectives(patch.deepCopy()));
    }

    static <T> T parse(JsonNode document, Class<T> type) {
        try {
            return STRICT.treeToValue(document, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static JsonNode withoutDirectives(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                if (names.next().startsWith("$")) {
                    names.remove();
                }
            }
            object.forEach(StrictKubernetes::withoutDirectives);
        } else if (node.isArray()) {
            node.forEach(StrictKubernetes::withoutDirectives);
        }
        return node;
    }

    /** The YAML documents of a file or string (empty documents skipped), duplicate keys refused. */
    static List<JsonNode> documents(String yaml) {
        List<JsonNode> documents = new ArrayList<>();
        try (var parser = YAML.createParser(yaml)) {
            var values = YAML.readValues(parser, JsonNode.class);
            while (values.hasNextValue()) {
                JsonNode document = values.nextValue();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    documents.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }
}
