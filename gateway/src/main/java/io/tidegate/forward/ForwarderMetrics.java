package io.tidegate.forward;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;

/** Meters of one destination's forwarder, tagged with the destination's name. */
final class ForwarderMetrics {

    private final Counter messages;
    private final Counter batches;
    private final Counter bytes;
    private final Counter errors;
    private final DistributionSummary batchSize;
    private final Timer endToEnd;

    ForwarderMetrics(MeterRegistry registry, String destination) {
        Tags tags = Tags.of("destination", destination);
        messages = Counter.builder("tidegate.forwarded.messages").tags(tags)
                .description("Messages the destination accepted").register(registry);
        batches = Counter.builder("tidegate.forwarded.batches").tags(tags)
                .description("Batches the destination accepted").register(registry);
        bytes = Counter.builder("tidegate.forwarded.bytes").tags(tags).baseUnit("bytes")
                .description("Payload bytes the destination accepted").register(registry);
        errors = Counter.builder("tidegate.forward.errors").tags(tags)
                .description("Failed batch writes (each is retried)").register(registry);
        batchSize = DistributionSummary.builder("tidegate.forward.batch.size").tags(tags)
                .description("Messages per batch").publishPercentileHistogram().maximumExpectedValue(100_000.0)
                .register(registry);
        endToEnd = Timer.builder("tidegate.forward.latency").tags(tags)
                .description("From ingest to accepted by the destination").publishPercentileHistogram()
                .register(registry);
    }

    void accepted(int count, long payloadBytes, long oldestIngestMillis, long nowMillis) {
        messages.increment(count);
        batches.increment();
        bytes.increment(payloadBytes);
        batchSize.record(count);
        endToEnd.record(Math.max(0, nowMillis - oldestIngestMillis), TimeUnit.MILLISECONDS);
    }

    void failed() {
        errors.increment();
    }
}
