package io.tidegate.rules.sql;

/**
 * The payload as a JSON value: the root that plain field names start from, and what {@code *}
 * means as a function argument. Undefined when the payload is not JSON.
 */
final class PayloadValue extends Expr {

    static final PayloadValue INSTANCE = new PayloadValue();

    private PayloadValue() {
    }

    @Override
    Object eval(EvalContext ctx) {
        return ctx.payloadValue();
    }
}
