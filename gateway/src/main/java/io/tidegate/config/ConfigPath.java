package io.tidegate.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A position in the config tree, printed the way operators write it: {@code listeners.mqtts.port},
 * {@code authorization.policies.device.publish[0]}. Keys that would be ambiguous after a dot
 * (identities are often host names) are printed in brackets: {@code identities["a.example"]}.
 */
final class ConfigPath {

    static final ConfigPath ROOT = new ConfigPath(List.of());

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");

    /** Each segment is a {@link String} key or an {@link Integer} list index. */
    private final List<Object> segments;

    private ConfigPath(List<Object> segments) {
        this.segments = List.copyOf(segments);
    }

    static ConfigPath of(String... keys) {
        ConfigPath path = ROOT;
        for (String key : keys) {
            path = path.child(key);
        }
        return path;
    }

    ConfigPath child(String key) {
        return append(key);
    }

    ConfigPath index(int index) {
        return append(index);
    }

    List<Object> segments() {
        return segments;
    }

    boolean isRoot() {
        return segments.isEmpty();
    }

    ConfigPath parent() {
        if (isRoot()) {
            throw new IllegalStateException("the root has no parent");
        }
        return new ConfigPath(segments.subList(0, segments.size() - 1));
    }

    private ConfigPath append(Object segment) {
        List<Object> longer = new ArrayList<>(segments);
        longer.add(segment);
        return new ConfigPath(longer);
    }

    @Override
    public String toString() {
        if (isRoot()) {
            return "(top level)";
        }
        StringBuilder text = new StringBuilder();
        for (Object segment : segments) {
            if (segment instanceof Integer index) {
                text.append('[').append(index).append(']');
            } else if (PLAIN_KEY.matcher((String) segment).matches()) {
                if (text.length() > 0) {
                    text.append('.');
                }
                text.append(segment);
            } else {
                text.append('[').append(ConfigValues.quote((String) segment)).append(']');
            }
        }
        return text.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ConfigPath path && path.segments.equals(segments);
    }

    @Override
    public int hashCode() {
        return segments.hashCode();
    }
}
