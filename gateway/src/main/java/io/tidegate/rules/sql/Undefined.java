package io.tidegate.rules.sql;

/**
 * AWS IoT SQL's Undefined: not a value. A missing field, a function given arguments it cannot use,
 * an operator given mismatched types: all evaluate to Undefined, which propagates, is left out of a
 * SELECT result and makes a WHERE clause fail.
 */
public enum Undefined {
    INSTANCE;

    @Override
    public String toString() {
        return "Undefined";
    }
}
