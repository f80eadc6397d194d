package io.tidegate.rules.sql;

/** Unary minus on a number (or a string that is one). */
final class Negate extends Expr {

    private final Expr operand;

    Negate(Expr operand) {
        this.operand = operand;
    }

    @Override
    Object eval(EvalContext ctx) {
        Object value = operand.eval(ctx);
        Number number = Values.toNumber(value);
        return number == null ? ctx.unusable(value) : Numbers.negate(number);
    }
}
