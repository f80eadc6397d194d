package io.tidegate.rules.sql;

import java.util.ArrayList;
import java.util.List;

/** {@code [expression, ...]}: an Array built per message; Undefined elements are left out when written. */
final class ArrayLiteral extends Expr {

    private final Expr[] elements;

    ArrayLiteral(List<Expr> elements) {
        this.elements = elements.toArray(Expr[]::new);
    }

    @Override
    Object eval(EvalContext ctx) {
        List<Object> array = new ArrayList<>(elements.length);
        for (Expr element : elements) {
            array.add(element.eval(ctx));
        }
        return array;
    }
}
