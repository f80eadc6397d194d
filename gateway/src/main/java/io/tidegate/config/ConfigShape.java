package io.tidegate.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shape of one level of the config tree, read from the record types. The records are the single
 * source of truth for field names, so environment overrides, unknown-field messages and type
 * descriptions cannot drift from what binding accepts.
 */
final class ConfigShape {

    enum Kind { RECORD, MAP, LIST, SCALAR }

    private final Class<?> rawType;
    private final Kind kind;
    /** RECORD: component name → generic type, in declaration order. */
    private final Map<String, Type> fields;
    /** MAP: the value type; LIST: the element type; otherwise null. */
    private final Type elementType;

    private ConfigShape(Class<?> rawType, Kind kind, Map<String, Type> fields, Type elementType) {
        this.rawType = rawType;
        this.kind = kind;
        this.fields = fields;
        this.elementType = elementType;
    }

    static ConfigShape root() {
        return of(TidegateConfig.class);
    }

    static ConfigShape of(Type type) {
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            Type[] arguments = parameterized.getActualTypeArguments();
            if (Map.class.isAssignableFrom(raw)) {
                return new ConfigShape(raw, Kind.MAP, Map.of(), arguments[1]);
            }
            if (List.class.isAssignableFrom(raw)) {
                return new ConfigShape(raw, Kind.LIST, Map.of(), arguments[0]);
            }
            throw new IllegalArgumentException("unsupported config type " + type);
        }
        Class<?> raw = (Class<?>) type;
        if (raw.isRecord()) {
            Map<String, Type> fields = new LinkedHashMap<>();
            for (RecordComponent component : raw.getRecordComponents()) {
                fields.put(component.getName(), component.getGenericType());
            }
            return new ConfigShape(raw, Kind.RECORD, fields, null);
        }
        return new ConfigShape(raw, Kind.SCALAR, Map.of(), null);
    }

    Kind kind() {
        return kind;
    }

    Class<?> rawType() {
        return rawType;
    }

    /** Record component names in declaration order; empty for other kinds. */
    List<String> fieldNames() {
        return List.copyOf(fields.keySet());
    }

    /** Strings, paths and enums: values written as text, never parsed as numbers or booleans. */
    boolean isTextual() {
        return kind == Kind.SCALAR && (rawType == String.class || Path.class.isAssignableFrom(rawType) || rawType.isEnum());
    }

    /** The shape one segment further down: a record field, any map key, or a list index. */
    Optional<ConfigShape> child(Object segment) {
        return switch (kind) {
            case RECORD -> segment instanceof String name && fields.containsKey(name)
                    ? Optional.of(of(fields.get(name))) : Optional.empty();
            case MAP -> segment instanceof String ? Optional.of(of(elementType)) : Optional.empty();
            case LIST -> segment instanceof Integer ? Optional.of(of(elementType)) : Optional.empty();
            case SCALAR -> Optional.empty();
        };
    }

    Optional<ConfigShape> at(ConfigPath path) {
        Optional<ConfigShape> shape = Optional.of(this);
        for (Object segment : path.segments()) {
            shape = shape.flatMap(current -> current.child(segment));
        }
        return shape;
    }

    /** What a value of this shape looks like, for "expected ..." in problem messages. */
    String expected() {
        return switch (kind) {
            case RECORD -> "a mapping with fields " + String.join(", ", fieldNames());
            case MAP -> "a mapping of names to " + of(elementType).plural();
            case LIST -> "a list of " + of(elementType).plural();
            case SCALAR -> expectedScalar();
        };
    }

    private String plural() {
        return switch (kind) {
            case RECORD -> "mappings with fields " + String.join(", ", fieldNames());
            case MAP, LIST -> "collections";
            case SCALAR -> rawType == String.class ? "strings" : "values that are each " + expectedScalar();
        };
    }

    private String expectedScalar() {
        if (rawType == Integer.class || rawType == Long.class) {
            return "an integer";
        }
        if (rawType == Boolean.class) {
            return "true or false";
        }
        if (rawType == String.class) {
            return "a string";
        }
        if (Path.class.isAssignableFrom(rawType)) {
            return "a file system path";
        }
        if (rawType.isEnum()) {
            return "one of " + ConfigEnums.allowed(rawType);
        }
        return "a " + rawType.getSimpleName();
    }

    @Override
    public String toString() {
        return kind + " " + rawType.getSimpleName();
    }
}
