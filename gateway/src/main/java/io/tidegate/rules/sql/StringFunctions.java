package io.tidegate.rules.sql;

import io.tidegate.rules.json.JsonDocument;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * String functions (lower, upper, trim, ltrim, rtrim, length, numbytes, startswith, endswith,
 * indexof, substring, concat) and get. Non-string arguments go through the "to String"
 * conversion (arrays and objects become JSON text); Null and Undefined arguments give Undefined.
 * Lengths and indexes count characters (Unicode code points).
 */
final class StringFunctions {

    private StringFunctions() {
    }

    static void register(Map<String, FunctionSpec> functions) {
        Functions.define(functions, "lower").with1((ctx, a) -> map(ctx, a, s -> s.toLowerCase(Locale.ROOT)));
        Functions.define(functions, "upper").with1((ctx, a) -> map(ctx, a, s -> s.toUpperCase(Locale.ROOT)));
        Functions.define(functions, "trim").with1((ctx, a) -> map(ctx, a, String::strip));
        Functions.define(functions, "ltrim").with1((ctx, a) -> map(ctx, a, String::stripLeading));
        Functions.define(functions, "rtrim").with1((ctx, a) -> map(ctx, a, String::stripTrailing));
        Functions.define(functions, "length").with1((ctx, a) -> {
            String s = Values.toText(a, ctx);
            return s == null ? ctx.unusable(a) : (Object) (long) s.codePointCount(0, s.length());
        });
        Functions.define(functions, "numbytes").with1((ctx, a) -> {
            String s = Values.toText(a, ctx);
            return s == null ? ctx.unusable(a) : (Object) (long) s.getBytes(StandardCharsets.UTF_8).length;
        });
        Functions.define(functions, "startswith").with2((ctx, a, b) -> test(ctx, a, b, String::startsWith));
        Functions.define(functions, "endswith").with2((ctx, a, b) -> test(ctx, a, b, String::endsWith));
        Functions.define(functions, "indexof").with2(StringFunctions::indexOf);
        Functions.define(functions, "substring")
                .with2((ctx, s, start) -> substring(ctx, s, start, null))
                .with3(StringFunctions::substring);
        Functions.define(functions, "concat").variadic(0, StringFunctions::concat);
        Functions.define(functions, "get").with2(StringFunctions::get);
    }

    private interface StringTest {
        boolean test(String a, String b);
    }

    private static Object map(EvalContext ctx, Object argument, UnaryOperator<String> operation) {
        String s = Values.toText(argument, ctx);
        return s == null ? ctx.unusable(argument) : operation.apply(s);
    }

    private static Object test(EvalContext ctx, Object a, Object b, StringTest test) {
        String x = Values.toText(a, ctx);
        if (x == null) {
            return ctx.unusable(a);
        }
        String y = Values.toText(b, ctx);
        if (y == null) {
            return ctx.unusable(b);
        }
        return test.test(x, y);
    }

    /** The code-point index of the first occurrence, or -1. */
    private static Object indexOf(EvalContext ctx, Object a, Object b) {
        String x = Values.toText(a, ctx);
        if (x == null) {
            return ctx.unusable(a);
        }
        String y = Values.toText(b, ctx);
        if (y == null) {
            return ctx.unusable(b);
        }
        int index = x.indexOf(y);
        return index < 0 ? -1L : (long) x.codePointCount(0, index);
    }

    /**
     * From {@code start} (inclusive) to {@code end} (exclusive, or the end): indexes are rounded
     * down, clamped to [0, length], and an empty string results when start ≥ end.
     */
    private static Object substring(EvalContext ctx, Object text, Object start, Object end) {
        String s = Values.toText(text, ctx);
        if (s == null) {
            return ctx.unusable(text);
        }
        Number from = Values.toNumber(start);
        if (from == null) {
            return ctx.unusable(start);
        }
        int length = s.codePointCount(0, s.length());
        int to = length;
        if (end != null) {
            Number until = Values.toNumber(end);
            if (until == null) {
                return ctx.unusable(end);
            }
            to = clamp(Numbers.clampToInt(until), length);
        }
        int begin = clamp(Numbers.clampToInt(from), length);
        if (begin >= to) {
            return "";
        }
        return s.substring(s.offsetByCodePoints(0, begin), s.offsetByCodePoints(0, to));
    }

    private static int clamp(int index, int length) {
        return Math.max(0, Math.min(index, length));
    }

    /**
     * No arguments: Undefined; one: itself; more: one array of everything if any argument is an
     * array, else the concatenated strings if any argument is a string.
     */
    private static Object concat(EvalContext ctx, Object[] args) {
        if (args.length == 0) {
            return Undefined.INSTANCE;
        }
        if (args.length == 1) {
            return args[0];
        }
        boolean anyArray = false;
        boolean anyString = false;
        for (Object arg : args) {
            Kind kind = Values.kind(arg);
            anyArray |= kind == Kind.ARRAY;
            anyString |= kind == Kind.STRING;
        }
        if (anyArray) {
            List<Object> all = new ArrayList<>();
            for (Object arg : args) {
                Object value = Values.materialize(arg);
                if (value instanceof List<?> list) {
                    all.addAll(list);
                } else {
                    all.add(value);
                }
            }
            return all;
        }
        if (!anyString) {
            return ctx.mismatch();
        }
        StringBuilder text = new StringBuilder();
        for (Object arg : args) {
            String s = Values.toText(arg, ctx);
            if (s == null) {
                return ctx.unusable(arg);
            }
            text.append(s);
        }
        return text.toString();
    }

    /**
     * get(array, index), get(string, index), get(object, key): the element, character or member;
     * Undefined when out of range or absent. The first argument is not converted.
     */
    private static Object get(EvalContext ctx, Object collection, Object key) {
        Object c = Values.resolve(collection);
        Kind kind = Values.kind(c);
        if (kind == Kind.OBJECT) {
            Object name = Values.resolve(key);
            if (!(name instanceof String member)) {
                return ctx.unusable(key);
            }
            return new PathStep.Member(member).apply(ctx, c);
        }
        if (kind != Kind.ARRAY && kind != Kind.STRING) {
            return ctx.unusable(collection);
        }
        Number position = Values.toNumber(key);
        if (position == null) {
            return ctx.unusable(key);
        }
        int index = Numbers.clampToInt(position);
        if (c instanceof String s) {
            int length = s.codePointCount(0, s.length());
            if (index < 0 || index >= length) {
                return Undefined.INSTANCE;
            }
            int at = s.offsetByCodePoints(0, index);
            return s.substring(at, s.offsetByCodePoints(at, 1));
        }
        if (c instanceof JsonRef ref && ref.type() == JsonDocument.ARRAY) {
            int node = ref.document.element(ref.node, index);
            return node < 0 ? Undefined.INSTANCE : ctx.ref(node);
        }
        List<?> list = (List<?>) c;
        return index >= 0 && index < list.size() ? list.get(index) : Undefined.INSTANCE;
    }
}
