package io.tidegate.forward;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.tidegate.outbox.OutboxBudget;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Meters of one destination's forwarder, tagged with the destination's name. */
final class ForwarderMetrics {

    private final Counter messages;
    private final Counter batches;
    private final Counter bytes;
    private final Counter errors;
    private final Counter retries;
    private final Counter throttles;
    private final Counter rejects;
    private final Counter billableUnits;
    private final DistributionSummary batchSize;
    private final Timer endToEnd;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final MeterRegistry registry;
    private final Tags tags;
    private final Map<OutboxBudget.DropReason, Counter> drops = new EnumMap<>(OutboxBudget.DropReason.class);

    ForwarderMetrics(MeterRegistry registry, String destination, String billableUnit) {
        this.registry = registry;
        this.tags = Tags.of("destination", destination);
        messages = Counter.builder("tidegate.forwarded.messages").tags(tags)
                .description("Messages the destination accepted").register(registry);
        batches = Counter.builder("tidegate.forwarded.batches").tags(tags)
                .description("Batches the destination accepted").register(registry);
        bytes = Counter.builder("tidegate.forwarded.bytes").tags(tags).baseUnit("bytes")
                .description("Payload bytes the destination accepted").register(registry);
        errors = Counter.builder("tidegate.forward.errors").tags(tags)
                .description("Failed writes (each is retried)").register(registry);
        retries = Counter.builder("tidegate.forward.retries").tags(tags)
                .description("Entries sent again after a failed or partly failed write").register(registry);
        throttles = Counter.builder("tidegate.forward.throttles").tags(tags)
                .description("Entries the destination refused for lack of capacity (retried)").register(registry);
        rejects = Counter.builder("tidegate.forward.rejects").tags(tags)
                .description("Entries rejected for good and moved to the dead-letter outbox").register(registry);
        billableUnits = billableUnit == null ? null : Counter.builder("tidegate.forward.billable.units")
                .tags(tags).tag("unit", billableUnit)
                .description("Units the service bills for the accepted writes").register(registry);
        batchSize = DistributionSummary.builder("tidegate.forward.batch.size").tags(tags)
                .description("Messages per batch").publishPercentileHistogram().maximumExpectedValue(100_000.0)
                .register(registry);
        endToEnd = Timer.builder("tidegate.forward.latency").tags(tags)
                .description("From ingest to accepted by the destination").publishPercentileHistogram()
                .register(registry);
        Gauge.builder("tidegate.forward.inflight", inFlight, AtomicInteger::get).tags(tags)
                .description("Entries in the writes under way").register(registry);
    }

    void writing(int count) {
        inFlight.addAndGet(count);
    }

    void written(int count) {
        inFlight.addAndGet(-count);
    }

    /** A batch is complete: every entry accepted or dead-lettered. */
    void completed(int accepted, long payloadBytes, long oldestIngestMillis, long nowMillis) {
        messages.increment(accepted);
        batches.increment();
        bytes.increment(payloadBytes);
        batchSize.record(accepted);
        endToEnd.record(Math.max(0, nowMillis - oldestIngestMillis), TimeUnit.MILLISECONDS);
    }

    void billed(long units) {
        if (billableUnits != null && units > 0) {
            billableUnits.increment(units);
        }
    }

    void failed() {
        errors.increment();
    }

    void retried(int count, int throttled) {
        retries.increment(count);
        throttles.increment(throttled);
    }

    /** {@code count} entries given up for {@code reason} (never sent, or no longer). */
    void dropped(OutboxBudget.DropReason reason, long count) {
        if (count > 0) {
            drops.computeIfAbsent(reason, r -> Counter.builder("tidegate.outbox.dropped").tags(tags)
                    .tag("reason", r.label()).description("Outbox entries dropped instead of delivered, by reason")
                    .register(registry)).increment(count);
        }
    }

    void rejected() {
        rejects.increment();
    }
}
