package io.tidegate.rules.sql;

import io.tidegate.rules.json.JsonNumbers;

import java.nio.charset.StandardCharsets;

/** A constant: number, string, true, false or null. */
final class Literal extends Expr {

    private final Object value;
    /** For comparisons against payload numbers without decoding: the exact-order double, or NaN. */
    private final double fastDouble;
    /** For equality against payload strings without decoding; {@code null} unless a string. */
    private final byte[] utf8;

    Literal(Object value) {
        this.value = value;
        this.fastDouble = value instanceof Number number ? fastDouble(number) : Double.NaN;
        this.utf8 = value instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : null;
    }

    @Override
    Object eval(EvalContext ctx) {
        return value;
    }

    Object value() {
        return value;
    }

    double fastDouble() {
        return fastDouble;
    }

    byte[] utf8() {
        return utf8;
    }

    private static double fastDouble(Number number) {
        double exact = Numbers.exactDouble(number);
        if (!Double.isNaN(exact)) {
            return exact;
        }
        byte[] text = Numbers.toText(number).getBytes(StandardCharsets.US_ASCII);
        return JsonNumbers.fastDouble(text, 0, text.length);
    }
}
