package io.tidegate.rules.sql;

/**
 * {@code + - * / %} (AWS IoT SQL reference, "Operators"): Int op Int is an Int, a Decimal operand
 * makes a Decimal, strings that are numbers take part (except in {@code +}, where a string operand
 * means concatenation of both sides' string forms). Division by zero and unusable operands are
 * Undefined.
 */
final class Arithmetic extends Expr {

    enum Operator { PLUS, MINUS, TIMES, DIVIDE, MODULO }

    private final Operator operator;
    private final Expr left;
    private final Expr right;

    Arithmetic(Operator operator, Expr left, Expr right) {
        this.operator = operator;
        this.left = left;
        this.right = right;
    }

    @Override
    Object eval(EvalContext ctx) {
        Object l = Values.resolve(left.eval(ctx));
        Object r = Values.resolve(right.eval(ctx));
        if (l == Undefined.INSTANCE || r == Undefined.INSTANCE) {
            return Undefined.INSTANCE;
        }
        if (operator == Operator.PLUS) {
            return plus(ctx, l, r);
        }
        Number a = Values.toNumber(l);
        Number b = Values.toNumber(r);
        if (a == null || b == null) {
            return ctx.mismatch();
        }
        Number result = switch (operator) {
            case MINUS -> Numbers.subtract(a, b);
            case TIMES -> Numbers.multiply(a, b);
            case DIVIDE -> Numbers.divide(a, b);
            default -> Numbers.remainder(a, b);
        };
        return result == null ? ctx.mismatch() : result;
    }

    private static Object plus(EvalContext ctx, Object l, Object r) {
        if (l instanceof String || r instanceof String) {
            String a = Values.toText(l, ctx);
            String b = Values.toText(r, ctx);
            return a == null || b == null ? ctx.mismatch() : a + b;
        }
        if (l instanceof Number a && r instanceof Number b) {
            return Numbers.add(a, b);
        }
        return ctx.mismatch();
    }
}
