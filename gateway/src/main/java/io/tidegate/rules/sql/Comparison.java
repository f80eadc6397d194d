package io.tidegate.rules.sql;

import io.tidegate.rules.json.JsonDocument;
import io.tidegate.rules.json.JsonNumbers;

/**
 * {@code < <= > >=}: both operands are converted to Decimal and compared; strings take part when
 * they are numbers. Anything else is Undefined (AWS IoT SQL reference, "Operators").
 *
 * <p>The common {@code field > 50} compares the payload's number token with the literal as
 * doubles, which is exact for numbers of up to 15 significant digits (see
 * {@link JsonNumbers#fastDouble}); longer numbers take the BigDecimal path.
 */
final class Comparison extends Expr {

    enum Operator { LESS, LESS_EQUAL, GREATER, GREATER_EQUAL }

    private final Operator operator;
    private final Expr left;
    private final Expr right;
    private final double leftConstant;
    private final double rightConstant;

    Comparison(Operator operator, Expr left, Expr right) {
        this.operator = operator;
        this.left = left;
        this.right = right;
        this.leftConstant = left instanceof Literal literal ? literal.fastDouble() : Double.NaN;
        this.rightConstant = right instanceof Literal literal ? literal.fastDouble() : Double.NaN;
    }

    @Override
    Object eval(EvalContext ctx) {
        Object l = left.eval(ctx);
        if (!Double.isNaN(rightConstant)) {
            double value = payloadDouble(l);
            if (!Double.isNaN(value)) {
                return test(value, rightConstant);
            }
        }
        Object r = right.eval(ctx);
        if (!Double.isNaN(leftConstant)) {
            double value = payloadDouble(r);
            if (!Double.isNaN(value)) {
                return test(leftConstant, value);
            }
        }
        l = Values.resolve(l);
        r = Values.resolve(r);
        if (l == Undefined.INSTANCE || r == Undefined.INSTANCE) {
            return Undefined.INSTANCE;
        }
        Number a = Values.toNumber(l);
        if (a == null) {
            return ctx.mismatch();
        }
        Number b = Values.toNumber(r);
        if (b == null) {
            return ctx.mismatch();
        }
        return holds(Numbers.compare(a, b));
    }

    /** A payload number as an exact-order double, or NaN. */
    static double payloadDouble(Object value) {
        if (value instanceof JsonRef ref && ref.type() == JsonDocument.NUMBER) {
            JsonDocument doc = ref.document;
            return JsonNumbers.fastDouble(doc.buffer(), doc.start(ref.node), doc.end(ref.node));
        }
        return Double.NaN;
    }

    private Boolean test(double a, double b) {
        // Primitive comparisons, not Double.compare: -0.0 and 0.0 are the same number here.
        boolean result = switch (operator) {
            case LESS -> a < b;
            case LESS_EQUAL -> a <= b;
            case GREATER -> a > b;
            case GREATER_EQUAL -> a >= b;
        };
        return result;
    }

    private Boolean holds(int comparison) {
        boolean result = switch (operator) {
            case LESS -> comparison < 0;
            case LESS_EQUAL -> comparison <= 0;
            case GREATER -> comparison > 0;
            case GREATER_EQUAL -> comparison >= 0;
        };
        return result;
    }
}
