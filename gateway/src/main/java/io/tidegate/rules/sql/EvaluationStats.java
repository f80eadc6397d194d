package io.tidegate.rules.sql;

import java.util.concurrent.atomic.LongAdder;

/**
 * What evaluation counts, readable from any thread (bind the adders to Micrometer with a
 * {@code FunctionCounter}, e.g. {@code tidegate.rules.type.mismatches}).
 */
public final class EvaluationStats {

    private final LongAdder typeMismatches = new LongAdder();

    /**
     * Operators and functions that returned Undefined because an operand was a value they cannot
     * use: a wrong type, a string that is not a number, a division by zero. Missing fields and
     * Undefined operands are not counted: they are Undefined already.
     */
    public LongAdder typeMismatches() {
        return typeMismatches;
    }
}
