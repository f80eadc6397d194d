package io.tidegate.rules.sql;

import io.tidegate.rules.json.JsonDocument;
import io.tidegate.rules.json.JsonNumbers;
import io.tidegate.rules.json.JsonOutput;

import java.util.List;
import java.util.Map;

/**
 * Serializes values as compact JSON. Payload values are copied as their original bytes (strings
 * keep their escapes) except numbers that 2016-03-23 reads differently from how they are written:
 * a whole decimal such as {@code 10.0} or {@code 1e3} is written as the Int it is ({@code 10},
 * {@code 1000}). Undefined members and elements are left out, as Undefined has no JSON form.
 */
final class ValueWriter {

    private ValueWriter() {
    }

    /** Writes a defined value; callers skip Undefined themselves. */
    static void write(JsonOutput out, Object value) {
        if (value instanceof JsonRef ref) {
            writeNode(out, ref.document, ref.node);
        } else if (value instanceof String text) {
            out.writeString(text);
        } else if (value instanceof Long number) {
            out.writeLong(number);
        } else if (value instanceof Number number) {
            out.writeAscii(Numbers.toText(number));
        } else if (value instanceof Boolean b) {
            out.writeAscii(b ? "true" : "false");
        } else if (value instanceof List<?> list) {
            writeArray(out, list);
        } else if (value instanceof Map<?, ?> map) {
            writeObject(out, map);
        } else {
            out.writeAscii("null");
        }
    }

    private static void writeArray(JsonOutput out, List<?> list) {
        out.write('[');
        boolean first = true;
        for (Object element : list) {
            if (element == Undefined.INSTANCE) {
                continue;
            }
            if (!first) {
                out.write(',');
            }
            first = false;
            write(out, element);
        }
        out.write(']');
    }

    private static void writeObject(JsonOutput out, Map<?, ?> map) {
        out.write('{');
        boolean first = true;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (entry.getValue() == Undefined.INSTANCE) {
                continue;
            }
            if (!first) {
                out.write(',');
            }
            first = false;
            out.writeString(String.valueOf(entry.getKey()));
            out.write(':');
            write(out, entry.getValue());
        }
        out.write('}');
    }

    /** Copies one payload value (a subtree) without decoding it. */
    static void writeNode(JsonOutput out, JsonDocument doc, int node) {
        byte[] buf = doc.buffer();
        switch (doc.type(node)) {
            case JsonDocument.OBJECT -> {
                out.write('{');
                for (int key = doc.firstKey(node); key >= 0; key = doc.nextKey(node, key)) {
                    if (key != node + 1) {
                        out.write(',');
                    }
                    out.write(buf, doc.start(key), doc.end(key) - doc.start(key));
                    out.write(':');
                    writeNode(out, doc, key + 1);
                }
                out.write('}');
            }
            case JsonDocument.ARRAY -> {
                out.write('[');
                for (int element = doc.firstElement(node); element >= 0; element = doc.nextElement(node, element)) {
                    if (element != node + 1) {
                        out.write(',');
                    }
                    writeNode(out, doc, element);
                }
                out.write(']');
            }
            case JsonDocument.NUMBER -> writeNumber(out, doc, node);
            default -> out.write(buf, doc.start(node), doc.end(node) - doc.start(node));
        }
    }

    private static void writeNumber(JsonOutput out, JsonDocument doc, int node) {
        byte[] buf = doc.buffer();
        int from = doc.start(node);
        int to = doc.end(node);
        if (isCanonical(buf, from, to, doc.isDecimalToken(node))) {
            out.write(buf, from, to - from);
        } else {
            write(out, Numbers.normalize(JsonNumbers.bigDecimal(buf, from, to)));
        }
    }

    /** Whether the token is already how the number prints: not -0, no exponent, no all-zero fraction. */
    private static boolean isCanonical(byte[] buf, int from, int to, boolean decimalToken) {
        if (!decimalToken) {
            return !(to - from == 2 && buf[from] == '-' && buf[from + 1] == '0');
        }
        boolean nonZeroFraction = false;
        boolean inFraction = false;
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            if (b == 'e' || b == 'E') {
                return false;
            }
            if (b == '.') {
                inFraction = true;
            } else if (inFraction && b != '0') {
                nonZeroFraction = true;
            }
        }
        return nonZeroFraction;
    }
}
