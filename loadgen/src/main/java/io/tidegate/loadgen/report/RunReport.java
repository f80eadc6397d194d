package io.tidegate.loadgen.report;

import java.util.List;
import java.util.Map;

/**
 * What a load run measured: the form written as text, JSON and HTML. Latencies are in milliseconds;
 * rates per second. {@code latencyFromIntendedSendTime} says whether publish latencies start at the
 * time the schedule meant to send (a paced run, free of coordinated omission) or at the actual send.
 * {@code sendLag} (paced runs only, else null) is how late the generator itself sent each publish.
 */
public record RunReport(
        String tool,
        String startedAt,
        double durationSeconds,
        double publishWindowSeconds,
        Map<String, Object> settings,
        Counts counts,
        Rates rates,
        boolean latencyFromIntendedSendTime,
        LatencySummary connectLatency,
        LatencySummary ackLatency,
        LatencySummary deliveryLatency,
        Map<String, Long> errors,
        List<IntervalSample> timeline,
        List<PercentilePoint> ackPercentiles,
        List<PercentilePoint> deliveryPercentiles,
        LatencySummary sendLag) {

    /** Totals over the run. {@code unacknowledged} were sent at QoS 1/2 and never acknowledged. */
    public record Counts(long devices, long connectAttempts, long peakConnected, long sent, long acked,
                         long unacknowledged, long delivered, long payloadBytes, long errors) {
    }

    /** Averages over the publish window (first publish to last acknowledgement). */
    public record Rates(double sentPerSecond, double ackedPerSecond, double deliveredPerSecond) {
    }

    public record LatencySummary(long count, double p50, double p90, double p99, double p999, double max,
                                 double mean) {
    }

    /** One second of the run. Latency fields are NaN-free: 0 when nothing was acknowledged in that second. */
    public record IntervalSample(double second, long connected, double sentPerSecond, double ackedPerSecond,
                                 double deliveredPerSecond, double ackP50, double ackP99, double ackMax,
                                 long errors) {
    }

    public record PercentilePoint(double percentile, double millis) {
    }
}
