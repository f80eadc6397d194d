package io.tidegate.rules.sql;

/**
 * A node of a compiled expression. Built once by the {@link Parser}, evaluated per message;
 * immutable, so one compiled rule can be shared by threads that each bring their own
 * {@link EvalContext}. Evaluation never throws for bad data: it answers {@link Undefined}.
 */
abstract class Expr {

    /** The value for the context's current message; never Java {@code null}. */
    abstract Object eval(EvalContext ctx);
}
