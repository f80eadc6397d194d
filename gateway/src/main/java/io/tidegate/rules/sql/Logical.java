package io.tidegate.rules.sql;

/**
 * {@code AND} and {@code OR}. Operands must be Booleans or the strings "true"/"false" (any case);
 * with anything else, Undefined included, the result is Undefined, as the AWS operator tables say.
 */
final class Logical extends Expr {

    private final boolean and;
    private final Expr left;
    private final Expr right;

    Logical(boolean and, Expr left, Expr right) {
        this.and = and;
        this.left = left;
        this.right = right;
    }

    @Override
    Object eval(EvalContext ctx) {
        Object l = left.eval(ctx);
        Boolean a = Values.toBoolean(l);
        if (a == null) {
            return ctx.unusable(l);
        }
        Object r = right.eval(ctx);
        Boolean b = Values.toBoolean(r);
        if (b == null) {
            return ctx.unusable(r);
        }
        return and ? a && b : a || b;
    }
}
