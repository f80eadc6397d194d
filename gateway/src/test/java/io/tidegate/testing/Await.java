package io.tidegate.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling for a condition another thread makes true; fails with {@code what} on timeout. */
public final class Await {

    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Await() {
    }

    public static void until(String what, BooleanSupplier condition) {
        until(what, TIMEOUT, condition);
    }

    /** {@link #until(String, BooleanSupplier)} with a timeout of its own (slow peers, big loads). */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, e);
            }
        }
    }
}
