package io.tidegate.rules.sql;

import java.util.Map;

/** isUndefined and isNull: true or false for every argument, never Undefined. */
final class TypeFunctions {

    private TypeFunctions() {
    }

    static void register(Map<String, FunctionSpec> functions) {
        Functions.define(functions, "isundefined").with1((ctx, a) -> a == Undefined.INSTANCE);
        Functions.define(functions, "isnull").with1((ctx, a) -> Values.resolve(a) == Null.INSTANCE);
    }
}
