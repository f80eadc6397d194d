package io.tidegate.rules.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code a.b[0].c}: steps from a base, which is the payload for a bare field name or any
 * expression, e.g. {@code decode(data, 'base64').temperature}.
 */
final class PathExpr extends Expr {

    private final Expr base;
    private final PathStep[] steps;

    PathExpr(Expr base, List<PathStep> steps) {
        this.base = base;
        this.steps = steps.toArray(PathStep[]::new);
    }

    /** This path followed by more steps: {@code a} then {@code .b[0]} is {@code a.b[0]}. */
    PathExpr append(List<PathStep> more) {
        List<PathStep> all = new ArrayList<>(List.of(steps));
        all.addAll(more);
        return new PathExpr(base, all);
    }

    /** The name a SELECT item gets without AS: the last field name of a payload path, else {@code null}. */
    String defaultName() {
        if (base != PayloadValue.INSTANCE) {
            return null;
        }
        for (int i = steps.length - 1; i >= 0; i--) {
            if (steps[i] instanceof PathStep.Member member) {
                return member.name();
            }
        }
        return null;
    }

    @Override
    Object eval(EvalContext ctx) {
        Object value = base.eval(ctx);
        for (PathStep step : steps) {
            if (value == Undefined.INSTANCE) {
                return value;
            }
            value = step.apply(ctx, value);
        }
        return value;
    }
}
