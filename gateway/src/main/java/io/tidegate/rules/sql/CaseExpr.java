package io.tidegate.rules.sql;

import java.util.List;

/**
 * {@code CASE v WHEN t THEN r ... [ELSE e] END}: the first {@code t} equal to {@code v} (by
 * {@code =}) picks its {@code r}; no match and no ELSE is Undefined, and so is an Undefined
 * {@code v}. Without {@code v} (searched form), the first {@code t} that is true picks.
 */
final class CaseExpr extends Expr {

    private final Expr subject;
    private final Expr[] conditions;
    private final Expr[] results;
    private final Expr otherwise;

    /** @param subject {@code null} for the searched form */
    CaseExpr(Expr subject, List<Expr> conditions, List<Expr> results, Expr otherwise) {
        this.subject = subject;
        this.conditions = conditions.toArray(Expr[]::new);
        this.results = results.toArray(Expr[]::new);
        this.otherwise = otherwise;
    }

    @Override
    Object eval(EvalContext ctx) {
        Object value = subject == null ? null : subject.eval(ctx);
        if (value == Undefined.INSTANCE) {
            return Undefined.INSTANCE;
        }
        for (int i = 0; i < conditions.length; i++) {
            Object condition = conditions[i].eval(ctx);
            boolean match = subject == null ? Values.isTrue(condition) : Values.isTrue(Values.equal(value, condition));
            if (match) {
                return results[i].eval(ctx);
            }
        }
        return otherwise == null ? Undefined.INSTANCE : otherwise.eval(ctx);
    }
}
