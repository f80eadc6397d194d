package io.tidegate.rules.sql;

/** AWS IoT SQL's Null: a real value (JSON {@code null}), unlike {@link Undefined}. */
public enum Null {
    INSTANCE;

    @Override
    public String toString() {
        return "null";
    }
}
