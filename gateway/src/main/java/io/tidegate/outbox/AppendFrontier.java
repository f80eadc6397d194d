package io.tidegate.outbox;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Where an outbox's appender last wrote: the roll cycle and the byte offset in that cycle's file.
 * Written by the appending thread after each entry, read by the {@link OutboxPretoucher}. Opaque
 * accesses: no fence on the hot path; a reader that pairs a new cycle with an old offset only
 * touches a few pages it did not need to, and corrects itself on its next pass.
 */
final class AppendFrontier {

    private static final VarHandle CYCLE;
    private static final VarHandle POSITION;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CYCLE = lookup.findVarHandle(AppendFrontier.class, "cycle", int.class);
            POSITION = lookup.findVarHandle(AppendFrontier.class, "position", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through CYCLE
    private int cycle = Integer.MIN_VALUE;
    @SuppressWarnings("unused") // accessed through POSITION
    private long position = -1;

    void advance(int cycle, long position) {
        CYCLE.setOpaque(this, cycle);
        POSITION.setOpaque(this, position);
    }

    /** The cycle last written to, or {@link Integer#MIN_VALUE} before the first append. */
    int cycle() {
        return (int) CYCLE.getOpaque(this);
    }

    /** The offset in the cycle's file just past the last entry written, or -1 before the first append. */
    long position() {
        return (long) POSITION.getOpaque(this);
    }
}
