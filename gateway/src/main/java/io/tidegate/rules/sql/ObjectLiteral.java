package io.tidegate.rules.sql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code {'key': expression, ...}}: an Object built per message; Undefined members are left out when written. */
final class ObjectLiteral extends Expr {

    private final String[] keys;
    private final Expr[] values;

    ObjectLiteral(List<String> keys, List<Expr> values) {
        this.keys = keys.toArray(String[]::new);
        this.values = values.toArray(Expr[]::new);
    }

    @Override
    Object eval(EvalContext ctx) {
        Map<String, Object> object = new LinkedHashMap<>();
        for (int i = 0; i < keys.length; i++) {
            object.put(keys[i], values[i].eval(ctx));
        }
        return object;
    }
}
