package io.tidegate.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Makes relative paths written in a config file relative to that file's folder, so a config and its
 * certificates can move together. Applied to the file's own tree before merging, so paths from the
 * defaults or the environment are left alone. {@code dataDir} is exempt: the caller resolves it
 * (against the working directory) because it is the gateway's state, not part of the config bundle.
 */
final class RelativePaths {

    private static final ConfigPath DATA_DIR = ConfigPath.of("dataDir");

    private RelativePaths() {
    }

    static void resolveAgainst(ObjectNode fileTree, Path baseDir) {
        resolve(fileTree, ConfigShape.root(), ConfigPath.ROOT, baseDir);
    }

    private static void resolve(ObjectNode node, ConfigShape shape, ConfigPath path, Path baseDir) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            ConfigPath childPath = path.child(field.getKey());
            Optional<ConfigShape> childShape = shape.child(field.getKey());
            if (childShape.isEmpty()) {
                continue; // an unknown field; binding reports it
            }
            JsonNode value = field.getValue();
            if (value instanceof ObjectNode object) {
                resolve(object, childShape.get(), childPath, baseDir);
            } else if (value.isTextual() && isPathField(childShape.get(), childPath)) {
                resolvedPath(value.textValue(), baseDir).ifPresent(resolved -> field.setValue(TextNode.valueOf(resolved)));
            }
        }
    }

    private static boolean isPathField(ConfigShape shape, ConfigPath path) {
        return shape.kind() == ConfigShape.Kind.SCALAR && Path.class.isAssignableFrom(shape.rawType()) && !path.equals(DATA_DIR);
    }

    private static Optional<String> resolvedPath(String text, Path baseDir) {
        if (text.isBlank()) {
            return Optional.empty(); // left for the validator to report
        }
        try {
            Path path = Path.of(text);
            return path.isAbsolute() ? Optional.empty() : Optional.of(baseDir.resolve(path).normalize().toString());
        } catch (InvalidPathException e) {
            return Optional.empty(); // binding reports the bad path with its field name
        }
    }
}
