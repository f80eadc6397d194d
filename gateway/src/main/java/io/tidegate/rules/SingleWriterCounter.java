package io.tidegate.rules;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A counter written by the routing thread only and read from any thread (metrics). A release
 * store instead of an atomic add: counting every message must not cost a locked instruction.
 */
final class SingleWriterCounter {

    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(SingleWriterCounter.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through VALUE
    private volatile long value;

    /** Only ever called by the one writing thread. */
    void add(long delta) {
        VALUE.setRelease(this, (long) VALUE.getOpaque(this) + delta);
    }

    void increment() {
        add(1);
    }

    long get() {
        return value;
    }
}
