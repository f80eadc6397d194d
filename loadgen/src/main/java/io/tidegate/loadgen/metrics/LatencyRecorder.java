package io.tidegate.loadgen.metrics;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies in microseconds: recorded wait-free from any event-loop thread, read per interval by
 * the sampler, which also keeps the run's total. Values are clamped to [0, 1 h].
 */
public final class LatencyRecorder {

    public static final long MAX_MICROS = 3_600_000_000L;
    private static final int SIGNIFICANT_DIGITS = 3;

    private final Recorder recorder = new Recorder(1, MAX_MICROS, SIGNIFICANT_DIGITS);
    private final Histogram total = new Histogram(1, MAX_MICROS, SIGNIFICANT_DIGITS);
    private Histogram interval;

    public void recordMicros(long micros) {
        recorder.recordValue(Math.max(0, Math.min(micros, MAX_MICROS)));
    }

    public void recordNanos(long nanos) {
        recordMicros(nanos / 1000);
    }

    /** The values recorded since the previous call, also added to the total. Sampler thread only. */
    public synchronized Histogram takeInterval() {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        return interval;
    }

    /** Forgets everything recorded so far (the end of a warm-up). */
    public synchronized void reset() {
        interval = recorder.getIntervalHistogram(interval);
        total.reset();
    }

    /** Everything recorded up to the last {@link #takeInterval()}. */
    public synchronized Histogram total() {
        return total.copy();
    }
}
