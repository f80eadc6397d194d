package io.tidegate.loadgen.run;

import io.tidegate.loadgen.metrics.RunClock;
import io.tidegate.loadgen.metrics.RunMetrics;
import io.tidegate.loadgen.report.RunReport;
import io.tidegate.loadgen.report.RunReport.IntervalSample;
import io.tidegate.loadgen.report.RunReport.LatencySummary;
import io.tidegate.loadgen.report.RunReport.PercentilePoint;
import io.tidegate.loadgen.scenario.LoadSpec;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Turns the metrics of a finished run into its {@link RunReport}. */
public final class ReportBuilder {

    /** The distribution chart stops here; beyond it only the maximum is meaningful. */
    private static final double LAST_PERCENTILE = 99.999;

    private ReportBuilder() {
    }

    static RunReport build(LoadSpec spec, RunClock clock, RunMetrics metrics, List<IntervalSample> timeline,
                           long endNanos, long unacknowledged) {
        long first = metrics.firstSendNanos.get();
        long last = metrics.lastCompletionNanos.get();
        double window = first == Long.MAX_VALUE || last == Long.MIN_VALUE || last <= first ? 0 : (last - first) / 1e9;
        RunReport.Counts counts = new RunReport.Counts(spec.devices(), metrics.connectAttempts.sum(),
                metrics.peakConnected.get(), metrics.sent.sum(), metrics.acked.sum(), unacknowledged,
                metrics.delivered.sum(), metrics.payloadBytes.sum(), metrics.errors());
        RunReport.Rates rates = new RunReport.Rates(perSecond(counts.sent(), window),
                perSecond(counts.acked(), window), perSecond(counts.delivered(), window));
        Histogram ack = metrics.ackLatency.total();
        Histogram delivery = metrics.deliveryLatency.total();
        return new RunReport("tidegate-loadgen", Instant.ofEpochMilli(clock.startEpochMillis()).toString(),
                round3(clock.elapsedSeconds(endNanos)), round3(window), spec.describe(), counts, rates, spec.paced(),
                summary(metrics.connectLatency.total()), summary(ack),
                delivery.getTotalCount() == 0 ? null : summary(delivery),
                metrics.errorsByKind(), timeline, percentiles(ack), percentiles(delivery),
                spec.paced() ? summary(metrics.sendLag.total()) : null);
    }

    /** Latency summary in milliseconds from a histogram in microseconds. */
    public static LatencySummary summary(Histogram h) {
        if (h.getTotalCount() == 0) {
            return new LatencySummary(0, 0, 0, 0, 0, 0, 0);
        }
        return new LatencySummary(h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
                ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()),
                round3(h.getMean() / 1000.0));
    }

    /** The percentile curve: points closer together towards the tail, as HdrHistogram plots it. */
    public static List<PercentilePoint> percentiles(Histogram h) {
        List<PercentilePoint> points = new ArrayList<>();
        if (h.getTotalCount() == 0) {
            return points;
        }
        for (HistogramIterationValue v : h.percentiles(5)) {
            double p = v.getPercentileLevelIteratedTo();
            if (p > LAST_PERCENTILE) {
                break;
            }
            points.add(new PercentilePoint(round3(p), ms(v.getValueIteratedTo())));
        }
        points.add(new PercentilePoint(100.0, ms(h.getMaxValue())));
        return points;
    }

    private static double perSecond(long count, double seconds) {
        return seconds <= 0 ? 0 : Math.round(count / seconds * 10) / 10.0;
    }

    private static double ms(long micros) {
        return round3(micros / 1000.0);
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
