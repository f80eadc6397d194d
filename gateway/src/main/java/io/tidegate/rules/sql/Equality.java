package io.tidegate.rules.sql;

import io.tidegate.rules.json.JsonDocument;

/**
 * {@code =} and {@code <>}/{@code !=}: Undefined when either side is; values of different types
 * are simply not equal (no conversion, no mismatch). Payload strings and numbers compared with a
 * literal are checked without decoding them.
 */
final class Equality extends Expr {

    private final boolean negated;
    private final Expr left;
    private final Expr right;
    private final Literal constant;

    Equality(boolean negated, Expr left, Expr right) {
        this.negated = negated;
        this.left = left;
        this.right = right;
        this.constant = right instanceof Literal literal ? literal : null;
    }

    @Override
    Object eval(EvalContext ctx) {
        Object l = left.eval(ctx);
        if (constant != null && l instanceof JsonRef ref) {
            Boolean fast = fastEqual(ref);
            if (fast != null) {
                return fast != negated;
            }
        }
        Object result = Values.equal(l, right.eval(ctx));
        if (result instanceof Boolean equal) {
            return equal != negated;
        }
        return result;
    }

    /** Equality with the literal decided from the payload's bytes, or {@code null} when that needs decoding. */
    private Boolean fastEqual(JsonRef ref) {
        byte type = ref.type();
        if (type == JsonDocument.STRING) {
            if (constant.utf8() == null) {
                return Boolean.FALSE; // a string never equals a non-string
            }
            return ref.document.textEquals(ref.node, constant.utf8(), (String) constant.value());
        }
        if (type == JsonDocument.NUMBER && !Double.isNaN(constant.fastDouble())) {
            double value = Comparison.payloadDouble(ref);
            return Double.isNaN(value) ? null : value == constant.fastDouble();
        }
        return null;
    }
}
