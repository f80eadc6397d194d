package io.tidegate.rules.sql;

/** {@code NOT}: a Boolean or a "true"/"false" string, inverted; anything else is Undefined. */
final class Not extends Expr {

    private final Expr operand;

    Not(Expr operand) {
        this.operand = operand;
    }

    @Override
    Object eval(EvalContext ctx) {
        Object value = operand.eval(ctx);
        Boolean b = Values.toBoolean(value);
        return b == null ? ctx.unusable(value) : !b;
    }
}
