package io.tidegate.rules.sql;

/**
 * {@code *} as a function argument: the whole payload. Functions see its JSON value (Undefined for
 * a non-JSON payload), except {@code encode(*, 'base64')}, which takes the raw bytes.
 */
final class StarArgument extends Expr {

    static final StarArgument INSTANCE = new StarArgument();

    private StarArgument() {
    }

    @Override
    Object eval(EvalContext ctx) {
        return ctx.payloadValue();
    }
}
