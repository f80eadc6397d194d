package io.tidegate.loadgen.metrics;

import io.tidegate.loadgen.report.RunReport.IntervalSample;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Once a second: turns counter deltas and interval histograms into an {@link IntervalSample} for the
 * report's timeline and prints the progress line (to stderr; stdout carries the summary).
 */
public final class IntervalSampler implements AutoCloseable {

    private final RunMetrics metrics;
    private final RunClock clock;
    private final int devices;
    private final PrintStream progress;
    private final List<IntervalSample> timeline = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "loadgen-sampler");
        t.setDaemon(true);
        return t;
    });
    private long lastNanos;
    private long lastSent;
    private long lastAcked;
    private long lastDelivered;
    private long lastErrors;

    /** @param progress where the progress line goes, or null for none */
    public IntervalSampler(RunMetrics metrics, RunClock clock, int devices, PrintStream progress) {
        this.metrics = metrics;
        this.clock = clock;
        this.devices = devices;
        this.progress = progress;
        this.lastNanos = clock.startNanos();
    }

    public void start() {
        timer.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
    }

    /** Takes a last sample so nothing recorded is left out of the totals, then stops. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample();
    }

    public synchronized List<IntervalSample> timeline() {
        return List.copyOf(timeline);
    }

    synchronized void sample() {
        long now = clock.nanoTime();
        double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
        long sent = metrics.sent.sum();
        long acked = metrics.acked.sum();
        long delivered = metrics.delivered.sum();
        long errors = metrics.errors();
        Histogram ack = metrics.ackLatency.takeInterval();
        metrics.connectLatency.takeInterval();
        metrics.deliveryLatency.takeInterval();
        metrics.sendLag.takeInterval();
        IntervalSample sample = new IntervalSample(
                Math.round(clock.elapsedSeconds(now) * 1000) / 1000.0,
                metrics.connected.get(),
                (sent - lastSent) / seconds,
                (acked - lastAcked) / seconds,
                (delivered - lastDelivered) / seconds,
                millis(ack, 50), millis(ack, 99), ack.getTotalCount() == 0 ? 0 : ack.getMaxValue() / 1000.0,
                errors - lastErrors);
        timeline.add(sample);
        if (progress != null) {
            progress.println(progressLine(sample, errors));
        }
        lastNanos = now;
        lastSent = sent;
        lastAcked = acked;
        lastDelivered = delivered;
        lastErrors = errors;
    }

    /** The end of a warm-up: the run's counts and latencies restart from here (see {@link RunMetrics}). */
    public synchronized void startMeasurement() {
        sample();
        metrics.restartMeasurement(clock.nanoTime());
        lastSent = 0;
        lastAcked = 0;
        lastDelivered = 0;
    }

    String progressLine(IntervalSample s, long totalErrors) {
        return String.format(Locale.ROOT, "[%6.1fs] connected %d/%d  sent %,.0f/s  acked %,.0f/s%s  p99 %.2f ms  errors %d",
                s.second(), s.connected(), devices, s.sentPerSecond(), s.ackedPerSecond(),
                metrics.delivered.sum() > 0 ? String.format(Locale.ROOT, "  delivered %,.0f/s", s.deliveredPerSecond()) : "",
                s.ackP99(), totalErrors);
    }

    private static double millis(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
    }
}
