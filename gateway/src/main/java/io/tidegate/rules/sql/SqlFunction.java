package io.tidegate.rules.sql;

/**
 * Built-in function bodies by arity, so calls with few arguments pass them without an array.
 * Implementations follow the argument tables of the AWS IoT SQL reference ("Functions") and
 * answer Undefined, never throw, for arguments they cannot use.
 */
final class SqlFunction {

    private SqlFunction() {
    }

    @FunctionalInterface
    interface Of0 {
        Object apply(EvalContext ctx);
    }

    @FunctionalInterface
    interface Of1 {
        Object apply(EvalContext ctx, Object a);
    }

    @FunctionalInterface
    interface Of2 {
        Object apply(EvalContext ctx, Object a, Object b);
    }

    @FunctionalInterface
    interface Of3 {
        Object apply(EvalContext ctx, Object a, Object b, Object c);
    }

    @FunctionalInterface
    interface OfN {
        Object apply(EvalContext ctx, Object[] args);
    }
}
