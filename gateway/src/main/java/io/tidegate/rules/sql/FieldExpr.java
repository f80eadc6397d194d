package io.tidegate.rules.sql;

import java.nio.charset.StandardCharsets;

/**
 * A bare field name, {@code temperature}: a member of the payload object. The most common
 * expression by far, so it looks the member up directly rather than walking a general path.
 */
final class FieldExpr extends Expr {

    private final String name;
    private final byte[] utf8;

    FieldExpr(String name) {
        this.name = name;
        this.utf8 = name.getBytes(StandardCharsets.UTF_8);
    }

    String name() {
        return name;
    }

    @Override
    Object eval(EvalContext ctx) {
        int root = ctx.payloadRoot();
        int node = root < 0 ? -1 : ctx.document().member(root, utf8, name); // -1 too when the payload is no object
        return node < 0 ? Undefined.INSTANCE : ctx.ref(node);
    }
}
