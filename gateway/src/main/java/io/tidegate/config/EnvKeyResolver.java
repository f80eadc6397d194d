package io.tidegate.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the config field a {@code TIDEGATE_*} variable names. Variable names lose case and word
 * boundaries ({@code MAXPACKETSIZEBYTES}, {@code MAX_PACKET_SIZE_BYTES}), so each level consumes one or
 * more {@code _}-separated segments, longest first, and backtracks when the rest does not fit. Record
 * levels know their fields from the record components (so absent optional sections such as {@code tls}
 * can be reached); map levels accept existing keys and may create a new lower-cased key.
 */
final class EnvKeyResolver {

    /** Where a variable lands: always a scalar or list field. */
    record Match(ConfigPath path, ConfigShape shape) {
    }

    private final List<String> segments;
    /** The deepest record or map level reached while searching, to hint at what was meant. */
    private ConfigPath deepestPath = ConfigPath.ROOT;
    private ConfigShape deepestShape = ConfigShape.root();
    private int deepestSegment = -1;

    /** @param name the variable name without its {@code TIDEGATE_} prefix */
    EnvKeyResolver(String name) {
        this.segments = List.of(name.split("_", -1));
    }

    Optional<Match> resolve(JsonNode tree) {
        if (segments.stream().anyMatch(String::isEmpty)) {
            return Optional.empty();
        }
        return walk(tree, ConfigShape.root(), ConfigPath.ROOT, 0);
    }

    /** After a failed {@link #resolve}: the fields known where the search got furthest. */
    String hint() {
        if (deepestShape.kind() == ConfigShape.Kind.MAP) {
            ConfigShape entry = deepestShape.child("entry").orElseThrow();
            return "under " + deepestPath + " expected an entry name" + (entry.kind() == ConfigShape.Kind.RECORD
                    ? " followed by one of its fields (" + String.join(", ", entry.fieldNames()) + ")" : "");
        }
        String fields = String.join(", ", deepestShape.fieldNames());
        if (deepestSegment == segments.size()) {
            return deepestPath + " is a section, not a field; its fields are " + fields;
        }
        String where = deepestPath.isRoot() ? "at the top level" : "under " + deepestPath;
        return "known fields " + where + " are " + fields;
    }

    private Optional<Match> walk(JsonNode node, ConfigShape shape, ConfigPath path, int from) {
        boolean assignable = shape.kind() == ConfigShape.Kind.SCALAR || shape.kind() == ConfigShape.Kind.LIST;
        if (from == segments.size() && assignable) {
            return Optional.of(new Match(path, shape));
        }
        if (from == segments.size()) {
            if (!node.isMissingNode()) {
                noteProgress(shape, path, from); // names an existing section, which one value cannot replace
            }
            return Optional.empty();
        }
        noteProgress(shape, path, from);
        return switch (shape.kind()) {
            case RECORD -> matchKeys(shape.fieldNames(), node, shape, path, from);
            case MAP -> matchKeys(existingKeys(node), node, shape, path, from)
                    .or(() -> matchNewKey(node, shape, path, from));
            case LIST, SCALAR -> Optional.empty();
        };
    }

    private Optional<Match> matchKeys(Collection<String> keys, JsonNode node, ConfigShape shape, ConfigPath path, int from) {
        for (int end = segments.size(); end > from; end--) {
            String joined = normalize(String.join("", segments.subList(from, end)));
            for (String key : keys) {
                if (normalize(key).equals(joined)) {
                    Optional<Match> match = walk(node.path(key), shape.child(key).orElseThrow(), path.child(key), end);
                    if (match.isPresent()) {
                        return match;
                    }
                }
            }
        }
        return Optional.empty();
    }

    private Optional<Match> matchNewKey(JsonNode node, ConfigShape shape, ConfigPath path, int from) {
        for (int end = segments.size(); end > from; end--) {
            String key = String.join("_", segments.subList(from, end)).toLowerCase(Locale.ROOT);
            if (node.has(key)) {
                continue; // already tried as an existing key
            }
            Optional<Match> match = walk(MissingNode.getInstance(), shape.child(key).orElseThrow(), path.child(key), end);
            if (match.isPresent()) {
                return match;
            }
        }
        return Optional.empty();
    }

    private void noteProgress(ConfigShape shape, ConfigPath path, int from) {
        boolean section = shape.kind() == ConfigShape.Kind.RECORD || shape.kind() == ConfigShape.Kind.MAP;
        if (section && from > deepestSegment) {
            deepestSegment = from;
            deepestPath = path;
            deepestShape = shape;
        }
    }

    private static Collection<String> existingKeys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** Map keys may use {@code -} or {@code _} between words; variable names only {@code _}. */
    private static String normalize(String key) {
        return key.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    }
}
