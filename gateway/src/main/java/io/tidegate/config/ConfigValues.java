package io.tidegate.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

/** Renders offending values for problem messages: strings quoted, numbers bare, containers by kind. */
final class ConfigValues {

    private ConfigValues() {
    }

    static String render(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof JsonNode node) {
            return renderNode(node);
        }
        if (value instanceof Enum<?> constant) {
            return ConfigEnums.display(constant);
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return quote(value.toString());
    }

    /** JSON-style quoting, so blanks, control characters and quotes stay visible. */
    static String quote(String text) {
        return new TextNode(text).toString();
    }

    private static String renderNode(JsonNode node) {
        if (node.isTextual()) {
            return quote(node.textValue());
        }
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isNull() || node.isMissingNode()) {
            return "null";
        }
        return node.asText();
    }
}
