package io.tidegate.loadgen.report;

import io.tidegate.loadgen.report.RunReport.IntervalSample;
import io.tidegate.loadgen.report.RunReport.LatencySummary;
import io.tidegate.loadgen.report.RunReport.PercentilePoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The run report as one self-contained HTML file: tables and inline SVG charts (throughput and
 * latency over time, latency percentile distribution), no scripts, styles or fonts from anywhere.
 */
public final class HtmlReport {

    private static final String STYLE = """
            body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:900px}
            h1{font-size:20px}h2{font-size:16px;margin-top:28px}
            table{border-collapse:collapse;margin:8px 0}td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:right}
            td:first-child,th:first-child{text-align:left}
            svg{display:block;margin:8px 0;background:#fafafa}
            svg text{font-size:11px;fill:#333}svg .title{font-size:13px;font-weight:600}
            svg .grid{stroke:#ddd}svg .ytick{text-anchor:end}svg .xtick{text-anchor:middle}svg .xlabel{text-anchor:middle}
            svg .ylabel{text-anchor:middle}.note{color:#666;font-size:12px}.bad{color:#b00020}
            """;

    /** Positions of the percentile chart's ticks: -log10(1 - p). */
    private static final double[] PERCENTILE_TICKS = {0, Math.log10(2), 1, 2, 3, 4, 5};

    private HtmlReport() {
    }

    public static void write(RunReport report, Path file) throws IOException {
        Files.writeString(file, render(report));
    }

    public static String render(RunReport r) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>tidegate-loadgen report ").append(Html.escape(r.startedAt())).append("</title>")
                .append("<style>").append(STYLE).append("</style></head><body>\n");
        h.append("<h1>tidegate-loadgen report</h1>\n<p>Started ").append(Html.escape(r.startedAt()))
                .append(String.format(Locale.ROOT, ", ran %.1f s.</p>%n", r.durationSeconds()));
        settings(h, r.settings());
        summary(h, r);
        latencyTable(h, r);
        errors(h, r.errors());
        charts(h, r);
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void settings(StringBuilder h, Map<String, Object> settings) {
        h.append("<h2>Scenario</h2><table>");
        settings.forEach((k, v) -> h.append("<tr><td>").append(Html.escape(k)).append("</td><td>")
                .append(Html.escape(v)).append("</td></tr>"));
        h.append("</table>\n");
    }

    private static void summary(StringBuilder h, RunReport r) {
        RunReport.Counts c = r.counts();
        h.append("<h2>Summary</h2><table>");
        row(h, "devices", String.format(Locale.ROOT, "%,d (peak %,d connected)", c.devices(), c.peakConnected()));
        row(h, "sent", String.format(Locale.ROOT, "%,d (%,.1f/s)", c.sent(), r.rates().sentPerSecond()));
        row(h, "acknowledged", String.format(Locale.ROOT, "%,d (%,.1f/s)", c.acked(), r.rates().ackedPerSecond()));
        row(h, "unacknowledged", String.format(Locale.ROOT, "%,d", c.unacknowledged()));
        if (c.delivered() > 0) {
            row(h, "delivered", String.format(Locale.ROOT, "%,d (%,.1f/s)", c.delivered(), r.rates().deliveredPerSecond()));
        }
        row(h, "payload bytes", String.format(Locale.ROOT, "%,d", c.payloadBytes()));
        row(h, "errors", String.format(Locale.ROOT, "%,d", c.errors()));
        h.append("</table>\n").append(String.format(Locale.ROOT,
                "<p class=\"note\">Rates are averages over the publish window of %.1f s (first publish to last acknowledgement).</p>%n",
                r.publishWindowSeconds()));
    }

    private static void latencyTable(StringBuilder h, RunReport r) {
        h.append("<h2>Latency (ms)</h2><table><tr><th></th><th>count</th><th>p50</th><th>p90</th><th>p99</th>")
                .append("<th>p99.9</th><th>max</th><th>mean</th></tr>");
        latencyRow(h, "connect (TCP + TLS + CONNACK)", r.connectLatency());
        latencyRow(h, "publish → acknowledgement", r.ackLatency());
        if (r.deliveryLatency() != null) {
            latencyRow(h, "publish → delivery", r.deliveryLatency());
        }
        if (r.sendLag() != null) {
            latencyRow(h, "send lag (the load generator's own delay after the intended time)", r.sendLag());
        }
        h.append("</table>\n<p class=\"note\">").append(r.latencyFromIntendedSendTime()
                ? "Publish latencies start at the intended send time of each device's schedule, so waiting behind a slow broker counts (coordinated-omission corrected)."
                : "Unpaced run: publish latencies start when the message was written.").append("</p>\n");
    }

    private static void errors(StringBuilder h, Map<String, Long> errors) {
        h.append("<h2>Errors</h2>");
        if (errors.isEmpty()) {
            h.append("<p>None.</p>\n");
            return;
        }
        h.append("<table class=\"bad\"><tr><th>kind</th><th>count</th></tr>");
        errors.forEach((k, v) -> row(h, k, String.format(Locale.ROOT, "%,d", v)));
        h.append("</table>\n");
    }

    private static void charts(StringBuilder h, RunReport r) {
        List<IntervalSample> t = r.timeline();
        double[] seconds = column(t, IntervalSample::second);
        h.append("<h2>Over time</h2>\n");
        SvgLineChart throughput = new SvgLineChart("Throughput", "seconds", "messages/s")
                .add("sent/s", "#1f77b4", seconds, column(t, IntervalSample::sentPerSecond))
                .add("acked/s", "#2ca02c", seconds, column(t, IntervalSample::ackedPerSecond));
        if (r.counts().delivered() > 0) {
            throughput.add("delivered/s", "#9467bd", seconds, column(t, IntervalSample::deliveredPerSecond));
        }
        h.append(throughput.render());
        h.append(new SvgLineChart("Publish → acknowledgement latency per second", "seconds", "ms")
                .add("p50", "#2ca02c", seconds, column(t, IntervalSample::ackP50))
                .add("p99", "#ff7f0e", seconds, column(t, IntervalSample::ackP99))
                .add("max", "#d62728", seconds, column(t, IntervalSample::ackMax)).render());
        h.append(new SvgLineChart("Connections", "seconds", "connected")
                .add("connected", "#1f77b4", seconds, column(t, s -> s.connected())).render());
        h.append("<h2>Latency distribution</h2>\n");
        SvgLineChart distribution = new SvgLineChart("Latency by percentile", "percentile", "ms")
                .xTicks(PERCENTILE_TICKS, HtmlReport::percentileLabel);
        addPercentiles(distribution, "publish → ack", "#ff7f0e", r.ackPercentiles());
        addPercentiles(distribution, "publish → delivery", "#9467bd", r.deliveryPercentiles());
        h.append(distribution.render());
    }

    private static void addPercentiles(SvgLineChart chart, String name, String color, List<PercentilePoint> points) {
        if (points.isEmpty()) {
            return;
        }
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            // The maximum (100%) sits just right of 99.999%.
            x[i] = Math.min(5.3, -Math.log10(Math.max(1e-6, 1 - points.get(i).percentile() / 100)));
            y[i] = points.get(i).millis();
        }
        chart.add(name, color, x, y);
    }

    private static String percentileLabel(double x) {
        double p = 100 * (1 - Math.pow(10, -x));
        return p < 99 ? String.format(Locale.ROOT, "%.0f%%", p) : String.format(Locale.ROOT, "%s%%",
                new java.math.BigDecimal(p).round(new java.math.MathContext((int) Math.round(x) + 1)).stripTrailingZeros().toPlainString());
    }

    private static double[] column(List<IntervalSample> samples, ToDoubleFunction<IntervalSample> f) {
        return samples.stream().mapToDouble(f).toArray();
    }

    private static void row(StringBuilder h, String name, String value) {
        h.append("<tr><td>").append(Html.escape(name)).append("</td><td>").append(Html.escape(value)).append("</td></tr>");
    }

    private static void latencyRow(StringBuilder h, String name, LatencySummary s) {
        h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%,d</td><td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%.3f</td></tr>",
                Html.escape(name), s.count(), s.p50(), s.p90(), s.p99(), s.p999(), s.max(), s.mean()));
    }
}
