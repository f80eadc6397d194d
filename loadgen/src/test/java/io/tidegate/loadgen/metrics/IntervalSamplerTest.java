package io.tidegate.loadgen.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The end of a warm-up: what was counted and recorded before it is left out of the run's totals. */
class IntervalSamplerTest {

    private final RunMetrics metrics = new RunMetrics();
    private final IntervalSampler sampler = new IntervalSampler(metrics, new RunClock(), 1, null);

    @Test
    void startMeasurementForgetsTheWarmUpButKeepsErrorsAndItsTimeline() {
        metrics.sent.add(1_000);
        metrics.acked.add(990);
        metrics.ackLatency.recordMicros(900_000);
        metrics.sendLag.recordMicros(800_000);
        metrics.error("connect refused");
        sampler.sample();

        sampler.startMeasurement();
        metrics.sent.add(10);
        metrics.acked.add(12);
        metrics.ackLatency.recordMicros(1_000);
        metrics.sendLag.recordMicros(5);
        sampler.sample();

        assertThat(metrics.sent.sum()).isEqualTo(10);
        assertThat(metrics.acked.sum()).isEqualTo(12);
        assertThat(metrics.ackLatency.total().getTotalCount()).isEqualTo(1);
        assertThat(metrics.ackLatency.total().getMaxValue()).isLessThan(2_000);
        assertThat(metrics.sendLag.total().getMaxValue()).isLessThan(10);
        assertThat(metrics.errors()).isEqualTo(1);
        assertThat(sampler.timeline()).hasSize(3);
        assertThat(sampler.timeline().get(2).ackedPerSecond()).isPositive();
    }
}
