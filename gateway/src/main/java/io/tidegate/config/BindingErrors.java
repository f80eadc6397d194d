package io.tidegate.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Rewrites Jackson's binding errors in the config's own terms: the field path, the offending value
 * from the tree, and what the record type accepts there.
 */
final class BindingErrors {

    private BindingErrors() {
    }

    static ConfigProblem describe(JacksonException e, JsonNode tree) {
        ConfigPath path = pathOf(e);
        if (e instanceof UnrecognizedPropertyException unknown) {
            return new ConfigProblem(path.toString(), "unknown field; known fields are " + knownFields(path, unknown));
        }
        if (e instanceof ValueInstantiationException && e.getCause() != null) {
            return new ConfigProblem(path.toString(), "cannot be used (" + e.getCause().getMessage() + ")");
        }
        Optional<ConfigShape> shape = ConfigShape.root().at(path);
        if (path.isRoot() || shape.isEmpty()) {
            return new ConfigProblem(path.toString(), String.valueOf(e.getOriginalMessage()));
        }
        JsonNode value = nodeAt(tree, path);
        return new ConfigProblem(path.toString(),
                ConfigValues.render(value) + " is not allowed; expected " + expected(shape.get(), value));
    }

    private static String expected(ConfigShape shape, JsonNode value) {
        if (shape.rawType() == Integer.class && value.isIntegralNumber()) {
            return "an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE; // it did not fit
        }
        if (shape.rawType() == Long.class && value.isIntegralNumber()) {
            return "an integer from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
        }
        return shape.expected();
    }

    private static String knownFields(ConfigPath path, UnrecognizedPropertyException e) {
        Optional<ConfigShape> parent = ConfigShape.root().at(path.parent());
        if (parent.isPresent() && parent.get().kind() == ConfigShape.Kind.RECORD) {
            return String.join(", ", parent.get().fieldNames());
        }
        return e.getKnownPropertyIds().stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /** Mapping errors carry a reference chain; low-level ones (number overflow) only the parser's position. */
    private static ConfigPath pathOf(JacksonException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return fromReferences(mapping.getPath());
        }
        if (e.getProcessor() instanceof JsonParser parser) {
            return fromContext(parser.getParsingContext());
        }
        return ConfigPath.ROOT;
    }

    private static ConfigPath fromReferences(List<JsonMappingException.Reference> references) {
        ConfigPath path = ConfigPath.ROOT;
        for (JsonMappingException.Reference reference : references) {
            path = reference.getFieldName() != null ? path.child(reference.getFieldName()) : path.index(reference.getIndex());
        }
        return path;
    }

    private static ConfigPath fromContext(JsonStreamContext context) {
        Deque<Object> segments = new ArrayDeque<>();
        for (JsonStreamContext level = context; level != null && !level.inRoot(); level = level.getParent()) {
            if (level.inObject() && level.getCurrentName() != null) {
                segments.push(level.getCurrentName());
            } else if (level.inArray()) {
                segments.push(Math.max(level.getCurrentIndex(), 0));
            }
        }
        ConfigPath path = ConfigPath.ROOT;
        for (Object segment : segments) {
            path = segment instanceof Integer index ? path.index(index) : path.child((String) segment);
        }
        return path;
    }

    private static JsonNode nodeAt(JsonNode tree, ConfigPath path) {
        JsonNode node = tree;
        for (Object segment : path.segments()) {
            node = segment instanceof Integer index ? node.path(index) : node.path((String) segment);
        }
        return node;
    }
}
