package io.tidegate.rules.sql;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The built-in functions by name; names are case-insensitive, as in AWS IoT SQL. */
final class Functions {

    private static final Map<String, FunctionSpec> BY_NAME = build();

    private Functions() {
    }

    /** The function called {@code name} in any case, or {@code null}. */
    static FunctionSpec lookup(String name) {
        return BY_NAME.get(name.toLowerCase(Locale.ROOT));
    }

    private static Map<String, FunctionSpec> build() {
        Map<String, FunctionSpec> functions = new TreeMap<>();
        MathFunctions.register(functions);
        StringFunctions.register(functions);
        TypeFunctions.register(functions);
        MessageFunctions.register(functions);
        EncodingFunctions.register(functions);
        return Collections.unmodifiableMap(functions);
    }

    /** Adds and returns a new function definition. */
    static FunctionSpec define(Map<String, FunctionSpec> functions, String name) {
        FunctionSpec spec = new FunctionSpec(name);
        if (functions.put(name, spec) != null) {
            throw new IllegalStateException("function " + name + " is defined twice");
        }
        return spec;
    }
}
