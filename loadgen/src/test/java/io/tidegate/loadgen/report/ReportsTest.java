package io.tidegate.loadgen.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.loadgen.report.RunReport.IntervalSample;
import io.tidegate.loadgen.run.ReportBuilder;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ReportsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** 1..10,000 µs once each: percentiles are known exactly (within HdrHistogram's 3 digits). */
    private static Histogram uniformMicros() {
        Histogram h = new Histogram(1, 3_600_000_000L, 3);
        for (int v = 1; v <= 10_000; v++) {
            h.recordValue(v);
        }
        return h;
    }

    private static RunReport sampleReport() {
        Histogram ack = uniformMicros();
        List<IntervalSample> timeline = new ArrayList<>();
        for (int s = 1; s <= 10; s++) {
            timeline.add(new IntervalSample(s, 50, 1000 + s, 990 + s, 0, 0.5, 2.5 + s / 10.0, 9.9, s == 5 ? 2 : 0));
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("broker", "mqtts://127.0.0.1:8883");
        settings.put("devices", 50);
        return new RunReport("tidegate-loadgen", "2026-11-23T16:00:00Z", 10.2, 9.8, settings,
                new RunReport.Counts(50, 50, 50, 10_000, 9_998, 2, 0, 2_000_000, 2),
                new RunReport.Rates(1020.4, 1020.2, 0), true,
                ReportBuilder.summary(uniformMicros()), ReportBuilder.summary(ack), null,
                Map.of("puback 0x87", 2L), timeline, ReportBuilder.percentiles(ack), List.of(),
                ReportBuilder.summary(uniformMicros()));
    }

    @Test
    void summariesAreInMillisecondsAtTheRightPercentiles() {
        RunReport.LatencySummary s = ReportBuilder.summary(uniformMicros());

        assertThat(s.count()).isEqualTo(10_000);
        assertThat(s.p50()).isCloseTo(5.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(s.p99()).isCloseTo(9.9, org.assertj.core.data.Offset.offset(0.01));
        assertThat(s.max()).isCloseTo(10.0, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void percentileCurveRisesAndEndsAtTheMaximum() {
        List<RunReport.PercentilePoint> points = ReportBuilder.percentiles(uniformMicros());

        assertThat(points).hasSizeGreaterThan(10);
        for (int i = 1; i < points.size(); i++) {
            assertThat(points.get(i).percentile()).isGreaterThanOrEqualTo(points.get(i - 1).percentile());
            assertThat(points.get(i).millis()).isGreaterThanOrEqualTo(points.get(i - 1).millis());
        }
        assertThat(points.get(points.size() - 1).percentile()).isEqualTo(100.0);
    }

    @Test
    void jsonReportParsesBackWithEveryFigure() throws Exception {
        JsonNode json = JSON.readTree(JsonReport.render(sampleReport()));

        assertThat(json.at("/counts/acked").asLong()).isEqualTo(9_998);
        assertThat(json.at("/counts/unacknowledged").asLong()).isEqualTo(2);
        assertThat(json.at("/sendLag/count").asLong()).isEqualTo(uniformMicros().getTotalCount());
        assertThat(json.at("/rates/ackedPerSecond").asDouble()).isEqualTo(1020.2);
        assertThat(json.at("/ackLatency/p99").asDouble()).isGreaterThan(9.8);
        assertThat(json.at("/errors/puback 0x87").asLong()).isEqualTo(2);
        assertThat(json.get("timeline")).hasSize(10);
        assertThat(json.at("/timeline/4/errors").asLong()).isEqualTo(2);
        assertThat(json.get("ackPercentiles").size()).isGreaterThan(10);
        assertThat(json.at("/settings/broker").asText()).isEqualTo("mqtts://127.0.0.1:8883");
        assertThat(json.get("latencyFromIntendedSendTime").asBoolean()).isTrue();
    }

    @Test
    void htmlReportIsSelfContained() {
        String html = HtmlReport.render(sampleReport());

        Matcher reference = Pattern.compile("(?i)\\b(src|href)\\s*=\\s*[\"']?([^\"'\\s>]*)").matcher(html);
        while (reference.find()) {
            assertThat(reference.group(2)).as("reference in " + reference.group()).doesNotContainIgnoringCase("http");
        }
        assertThat(html).doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("<link")
                .doesNotContainIgnoringCase("@import").doesNotContainIgnoringCase("url(");
    }

    @Test
    void htmlReportHasTheChartsAndFigures() {
        String html = HtmlReport.render(sampleReport());

        assertThat(html).startsWith("<!DOCTYPE html>");
        assertThat(Pattern.compile("<svg").matcher(html).results().count()).isEqualTo(4);
        assertThat(html).contains("Throughput", "Latency by percentile", "acked/s", "p99", "99.9%")
                .contains("puback 0x87").contains("9,998").contains("<polyline");
    }

    @Test
    void htmlEscapesWhatComesFromTheScenario() {
        RunReport base = sampleReport();
        Map<String, Object> settings = new LinkedHashMap<>(base.settings());
        settings.put("topic", "<script>alert(1)</script>");
        RunReport report = new RunReport(base.tool(), base.startedAt(), base.durationSeconds(), base.publishWindowSeconds(),
                settings, base.counts(), base.rates(), false, base.connectLatency(), base.ackLatency(), null,
                base.errors(), base.timeline(), base.ackPercentiles(), base.deliveryPercentiles(), null);

        assertThat(HtmlReport.render(report)).contains("&lt;script&gt;").doesNotContain("<script>");
    }

    @Test
    void textSummaryNamesEveryFigure() {
        String text = TextReport.render(sampleReport());

        assertThat(text).contains("9,998 acknowledged", "2 unacknowledged", "1,020.2 acked/s", "publish→ack*",
                "coordinated-omission", "puback 0x87", "send lag†", "load generator itself");
    }
}
