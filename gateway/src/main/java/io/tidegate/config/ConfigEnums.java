package io.tidegate.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How enum values are spelled in YAML and environment variables: lower case with dashes
 * ({@code san-dns}, {@code ten-minutely}). Parsing is lenient: case-insensitive, {@code -} or {@code _}.
 */
final class ConfigEnums {

    private ConfigEnums() {
    }

    static String display(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Optional<Enum<?>> parse(Class<?> type, String text) {
        String wanted = text.trim().replace('-', '_');
        return Arrays.stream(type.getEnumConstants())
                .<Enum<?>>map(constant -> (Enum<?>) constant)
                .filter(constant -> constant.name().equalsIgnoreCase(wanted))
                .findFirst();
    }

    /** The accepted spellings, e.g. {@code none, optional, required}. */
    static String allowed(Class<?> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(constant -> display((Enum<?>) constant))
                .collect(Collectors.joining(", "));
    }
}
