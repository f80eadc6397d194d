package io.tidegate.loadgen.report;

import io.tidegate.loadgen.report.RunReport.LatencySummary;

import java.util.Locale;
import java.util.Map;

/** The summary printed on stdout at the end of a run. */
public final class TextReport {

    private TextReport() {
    }

    public static String render(RunReport r) {
        StringBuilder out = new StringBuilder();
        out.append("tidegate-loadgen run, started ").append(r.startedAt())
                .append(String.format(Locale.ROOT, ", %.1f s%n", r.durationSeconds()));
        r.settings().forEach((k, v) -> out.append(String.format(Locale.ROOT, "  %-12s %s%n", k, v)));
        RunReport.Counts c = r.counts();
        out.append(String.format(Locale.ROOT, "connections  %,d attempted, %,d peak concurrent%n", c.connectAttempts(), c.peakConnected()));
        out.append(String.format(Locale.ROOT, "messages     %,d sent, %,d acknowledged, %,d unacknowledged%s%n", c.sent(), c.acked(),
                c.unacknowledged(), c.delivered() > 0 ? String.format(Locale.ROOT, ", %,d delivered", c.delivered()) : ""));
        out.append(String.format(Locale.ROOT, "throughput   %,.1f sent/s, %,.1f acked/s%s over %.1f s%n", r.rates().sentPerSecond(),
                r.rates().ackedPerSecond(), c.delivered() > 0
                        ? String.format(Locale.ROOT, ", %,.1f delivered/s", r.rates().deliveredPerSecond()) : "",
                r.publishWindowSeconds()));
        out.append("latency (ms)          count      p50      p90      p99    p99.9      max\n");
        line(out, "connect", r.connectLatency());
        line(out, r.latencyFromIntendedSendTime() ? "publish→ack*" : "publish→ack", r.ackLatency());
        if (r.deliveryLatency() != null) {
            line(out, r.latencyFromIntendedSendTime() ? "publish→delivery*" : "publish→delivery", r.deliveryLatency());
        }
        if (r.sendLag() != null) {
            line(out, "send lag†", r.sendLag());
        }
        if (r.latencyFromIntendedSendTime()) {
            out.append("  * from the intended send time of the schedule (coordinated-omission corrected)\n");
        }
        if (r.sendLag() != null) {
            out.append("  † how late the load generator itself sent each publish after its intended time\n");
        }
        out.append(String.format(Locale.ROOT, "errors       %,d%n", c.errors()));
        for (Map.Entry<String, Long> e : r.errors().entrySet()) {
            out.append(String.format(Locale.ROOT, "  %,10d  %s%n", e.getValue(), e.getKey()));
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String name, LatencySummary s) {
        out.append(String.format(Locale.ROOT, "  %-17s %9d %8.3f %8.3f %8.3f %8.3f %8.3f%n", name, s.count(), s.p50(), s.p90(),
                s.p99(), s.p999(), s.max()));
    }
}
