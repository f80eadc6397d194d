package io.tidegate.rules.sql;

import io.tidegate.rules.json.JsonDocument;
import io.tidegate.rules.json.JsonNumbers;
import io.tidegate.rules.json.JsonOutput;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Types, standard conversions and equality of AWS IoT SQL values ("Data types" → "Conversions" in
 * the AWS IoT SQL reference). Values are {@link Undefined}, {@link Null}, {@link Boolean},
 * numbers (see {@link Numbers}), {@link String}, {@link List} (Array), {@link Map} (Object), or a
 * {@link JsonRef} into the payload that is decoded only when a conversion needs it.
 */
final class Values {

    private Values() {
    }

    static Kind kind(Object value) {
        if (value instanceof JsonRef ref) {
            return switch (ref.type()) {
                case JsonDocument.OBJECT -> Kind.OBJECT;
                case JsonDocument.ARRAY -> Kind.ARRAY;
                case JsonDocument.STRING -> Kind.STRING;
                case JsonDocument.TRUE, JsonDocument.FALSE -> Kind.BOOLEAN;
                case JsonDocument.NULL -> Kind.NULL;
                default -> Numbers.isInt(number(ref)) ? Kind.INT : Kind.DECIMAL;
            };
        }
        if (value == Undefined.INSTANCE) {
            return Kind.UNDEFINED;
        }
        if (value == Null.INSTANCE) {
            return Kind.NULL;
        }
        if (value instanceof Number number) {
            return Numbers.isInt(number) ? Kind.INT : Kind.DECIMAL;
        }
        if (value instanceof String) {
            return Kind.STRING;
        }
        if (value instanceof Boolean) {
            return Kind.BOOLEAN;
        }
        if (value instanceof List) {
            return Kind.ARRAY;
        }
        return Kind.OBJECT;
    }

    /** Decodes a payload scalar into a plain value; containers stay references (decoded lazily, if ever). */
    static Object resolve(Object value) {
        if (!(value instanceof JsonRef ref)) {
            return value;
        }
        return switch (ref.type()) {
            case JsonDocument.STRING -> ref.document.text(ref.node);
            case JsonDocument.NUMBER -> number(ref);
            case JsonDocument.TRUE -> Boolean.TRUE;
            case JsonDocument.FALSE -> Boolean.FALSE;
            case JsonDocument.NULL -> Null.INSTANCE;
            default -> ref;
        };
    }

    /** A payload number: 2016-03-23 reads whole numbers such as {@code 10.0} as Int. */
    static Number number(JsonRef ref) {
        JsonDocument doc = ref.document;
        byte[] buf = doc.buffer();
        int from = doc.start(ref.node);
        int to = doc.end(ref.node);
        if (!doc.isDecimalToken(ref.node) && JsonNumbers.fitsLong(buf, from, to)) {
            return JsonNumbers.parseLong(buf, from, to);
        }
        return Numbers.normalize(JsonNumbers.bigDecimal(buf, from, to));
    }

    /** Whether a WHERE clause passes: only the Boolean true does. */
    static boolean isTrue(Object value) {
        return value == Boolean.TRUE || value instanceof JsonRef ref && ref.type() == JsonDocument.TRUE;
    }

    /**
     * The "to Decimal" conversion used by numeric operators and functions: numbers as they are,
     * strings that look like numbers parsed, anything else {@code null} (the caller answers
     * Undefined).
     */
    static Number toNumber(Object value) {
        Object v = resolve(value);
        if (v instanceof Number number) {
            return number;
        }
        if (v instanceof String text) {
            return Numbers.parse(text);
        }
        return null;
    }

    /** Booleans, and the strings "true"/"false" in any case, as the logical operators accept; else {@code null}. */
    static Boolean toBoolean(Object value) {
        Object v = resolve(value);
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String text) {
            if (text.equalsIgnoreCase("true")) {
                return Boolean.TRUE;
            }
            if (text.equalsIgnoreCase("false")) {
                return Boolean.FALSE;
            }
        }
        return null;
    }

    /**
     * The "to String" conversion: numbers and booleans as text, arrays and objects serialized to
     * JSON, strings as they are; {@code null} for Null and Undefined.
     */
    static String toText(Object value, EvalContext ctx) {
        Object v = resolve(value);
        if (v instanceof String text) {
            return text;
        }
        if (v instanceof Number number) {
            return Numbers.toText(number);
        }
        if (v instanceof Boolean b) {
            return b.toString();
        }
        if (v == Null.INSTANCE || v == Undefined.INSTANCE) {
            return null;
        }
        return json(v, ctx);
    }

    /** Any defined value as compact JSON text. */
    static String json(Object value, EvalContext ctx) {
        JsonOutput out = ctx.scratch();
        ValueWriter.write(out, value);
        return new String(out.array(), 0, out.length(), StandardCharsets.UTF_8);
    }

    /** The text a substitution template inserts: strings without quotes, Undefined as nothing, the rest as JSON. */
    static String templateText(Object value, EvalContext ctx) {
        Object v = resolve(value);
        if (v == Undefined.INSTANCE) {
            return "";
        }
        return v instanceof String text ? text : json(v, ctx);
    }

    /**
     * The {@code =} operator: Undefined if either side is; numbers compare by value (Int converted
     * to Decimal); strings, booleans, arrays (in order) and objects (any key order) by content;
     * Null equals Null; values of different types are not equal.
     *
     * @return {@link Boolean} or {@link Undefined}
     */
    static Object equal(Object left, Object right) {
        if (left == Undefined.INSTANCE || right == Undefined.INSTANCE) {
            return Undefined.INSTANCE;
        }
        return sameValue(resolve(left), resolve(right));
    }

    private static boolean sameValue(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Numbers.compare(x, y) == 0;
        }
        if (a instanceof JsonRef || b instanceof JsonRef) {
            return sameValue(materialize(a), materialize(b));
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            Iterator<?> ix = x.iterator();
            Iterator<?> iy = y.iterator();
            while (ix.hasNext()) {
                if (!sameValue(ix.next(), iy.next())) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> entry : x.entrySet()) {
                Object other = y.get(entry.getKey());
                if (other == null || !sameValue(entry.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** Decodes a payload value completely: objects become maps (last duplicate key wins), arrays lists. */
    static Object materialize(Object value) {
        if (!(value instanceof JsonRef ref)) {
            return value;
        }
        JsonDocument doc = ref.document;
        int node = ref.node;
        if (ref.type() == JsonDocument.OBJECT) {
            Map<String, Object> object = new LinkedHashMap<>();
            for (int key = doc.firstKey(node); key >= 0; key = doc.nextKey(node, key)) {
                object.put(doc.text(key), materialize(new JsonRef(doc, key + 1)));
            }
            return object;
        }
        if (ref.type() == JsonDocument.ARRAY) {
            List<Object> array = new ArrayList<>(doc.count(node));
            for (int element = doc.firstElement(node); element >= 0; element = doc.nextElement(node, element)) {
                array.add(materialize(new JsonRef(doc, element)));
            }
            return array;
        }
        return resolve(ref);
    }
}
