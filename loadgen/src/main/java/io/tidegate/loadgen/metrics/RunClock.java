package io.tidegate.loadgen.metrics;

/**
 * One time base for the run: {@link System#nanoTime()} for intervals, mapped to epoch microseconds
 * for the timestamps payloads carry. Mapping from one anchor keeps those timestamps monotonic and
 * precise to the microsecond, so publisher and subscriber in this process agree exactly.
 */
public final class RunClock {

    private final long anchorNanos;
    private final long anchorEpochMicros;

    public RunClock() {
        this.anchorNanos = System.nanoTime();
        this.anchorEpochMicros = System.currentTimeMillis() * 1000;
    }

    public long nanoTime() {
        return System.nanoTime();
    }

    public long epochMicros(long nanoTime) {
        return anchorEpochMicros + (nanoTime - anchorNanos) / 1000;
    }

    public long epochMicrosNow() {
        return epochMicros(System.nanoTime());
    }

    public long startNanos() {
        return anchorNanos;
    }

    public long startEpochMillis() {
        return anchorEpochMicros / 1000;
    }

    /** Seconds since the run started. */
    public double elapsedSeconds(long nanoTime) {
        return (nanoTime - anchorNanos) / 1e9;
    }
}
