package io.tidegate.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Meters of the ingest ring. */
final class PipelineMetrics {

    private final Counter stored;
    private final Counter storeFailures;
    private final Counter ringFull;
    private final Timer storeLatency;
    private final Timer sync;
    private final Counter backpressure;
    private final Counter refusedQos0;

    PipelineMetrics(MeterRegistry registry) {
        stored = Counter.builder("tidegate.outbox.appended").description("Entries appended to outboxes")
                .register(registry);
        storeFailures = Counter.builder("tidegate.outbox.append.failures")
                .description("Messages that could not be stored and were refused to the publisher")
                .register(registry);
        ringFull = Counter.builder("tidegate.ring.full")
                .description("Publishes that found the ring full; the device's socket was paused")
                .register(registry);
        storeLatency = Timer.builder("tidegate.puback.latency")
                .description("From a PUBLISH decoded to its acknowledgement queued (message stored)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        sync = Timer.builder("tidegate.outbox.sync").description("Forcing appended outbox entries to disk (outbox.sync)")
                .register(registry);
        backpressure = Counter.builder("tidegate.ingest.backpressure")
                .description("Publishes held back because an outbox with overflow: backpressure was full; the"
                        + " device's socket was paused").register(registry);
        refusedQos0 = Counter.builder("tidegate.ingest.dropped").tag("reason", "outbox_full")
                .description("QoS 0 publishes dropped because an outbox with overflow: backpressure was full")
                .register(registry);
    }

    void refusedQos0() {
        refusedQos0.increment();
    }

    void synced(long nanos) {
        sync.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    void heldBack() {
        backpressure.increment();
    }

    void stored(int entries) {
        stored.increment(entries);
    }

    void storeFailed() {
        storeFailures.increment();
    }

    void ringFull() {
        ringFull.increment();
    }

    void recordStoreLatency(long nanos) {
        storeLatency.record(nanos, TimeUnit.NANOSECONDS);
    }
}
