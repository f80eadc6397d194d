package io.tidegate.rules.sql;

import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;

/**
 * {@code cast(value AS type)} with the 2016-03-23 type keywords. Like the standard conversions,
 * plus numbers to and from Booleans (AWS IoT SQL reference, "cast()").
 */
final class CastExpr extends Expr {

    enum Target { STRING, INT, DECIMAL, DOUBLE, BOOLEAN }

    /** Every keyword AWS accepts after AS, lower-cased. */
    static final Map<String, Target> KEYWORDS = Map.ofEntries(
            Map.entry("string", Target.STRING), Map.entry("nvarchar", Target.STRING), Map.entry("text", Target.STRING),
            Map.entry("ntext", Target.STRING), Map.entry("varchar", Target.STRING),
            Map.entry("int", Target.INT), Map.entry("integer", Target.INT),
            Map.entry("decimal", Target.DECIMAL), Map.entry("double", Target.DOUBLE),
            Map.entry("bool", Target.BOOLEAN), Map.entry("boolean", Target.BOOLEAN));

    private final Expr operand;
    private final Target target;

    CastExpr(Expr operand, Target target) {
        this.operand = operand;
        this.target = target;
    }

    static Target target(String keyword) {
        return KEYWORDS.get(keyword.toLowerCase(Locale.ROOT));
    }

    @Override
    Object eval(EvalContext ctx) {
        Object original = operand.eval(ctx);
        Object value = Values.resolve(original);
        Object result = switch (target) {
            case STRING -> value == Null.INSTANCE ? Undefined.INSTANCE : nullToUndefined(Values.toText(value, ctx));
            case INT -> toInt(value);
            case DECIMAL -> toDecimal(value, false);
            case DOUBLE -> toDecimal(value, true);
            case BOOLEAN -> toBoolean(value);
        };
        return result == Undefined.INSTANCE ? ctx.unusable(original) : result;
    }

    private static Object nullToUndefined(String text) {
        return text == null ? Undefined.INSTANCE : text;
    }

    /** Decimals and numeric strings rounded down; true = 1, false = 0. */
    private static Object toInt(Object value) {
        if (value instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        Number number = numberOrNull(value);
        return number == null ? Undefined.INSTANCE : Numbers.round(number, RoundingMode.FLOOR);
    }

    private static Object toDecimal(Object value, boolean doublePrecision) {
        if (value instanceof Boolean b) {
            return b ? 1L : 0L; // 1.0 and 0.0, which 2016-03-23 reads as Int
        }
        Number number = numberOrNull(value);
        if (number == null) {
            return Undefined.INSTANCE;
        }
        if (!doublePrecision) {
            return number;
        }
        Number rounded = Numbers.fromDouble(Numbers.toDouble(number));
        return rounded == null ? Undefined.INSTANCE : rounded;
    }

    /** 0 is false, any other number true; "true"/"false" strings in any case. */
    private static Object toBoolean(Object value) {
        if (value instanceof Number number) {
            return Numbers.signum(number) != 0;
        }
        if (value instanceof Boolean || value instanceof String) {
            Boolean b = Values.toBoolean(value);
            return b == null ? Undefined.INSTANCE : b;
        }
        return Undefined.INSTANCE;
    }

    private static Number numberOrNull(Object value) {
        if (value instanceof Number || value instanceof String) {
            return Values.toNumber(value);
        }
        return null;
    }
}
