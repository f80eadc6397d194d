package io.tidegate.forward;

import io.tidegate.testing.Await;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tidegate.config.BatchConfig;
import io.tidegate.config.OutboxConfig;
import io.tidegate.outbox.MessageProperties;
import io.tidegate.outbox.Outbox;
import io.tidegate.outbox.OutboxAppender;
import io.tidegate.outbox.OutboxEntry;
import io.tidegate.outbox.OutboxReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ForwarderTest {

    private static final int MIB = 1024 * 1024;

    @TempDir
    Path dir;
    @TempDir
    Path deadLetterDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Forwarder> started = new ArrayList<>();
    private Outbox outbox;
    private Outbox deadLetterOutbox;

    @BeforeEach
    void openOutbox() {
        outbox = open();
        deadLetterOutbox = Outbox.open("deadletter/dest", deadLetterDir, OutboxConfig.RollCycle.DAILY);
    }

    @AfterEach
    void stopAll() {
        started.forEach(f -> f.stop(Duration.ofSeconds(5)));
        outbox.close();
        deadLetterOutbox.close();
    }

    @Test
    void exactlyTheRetriableEntriesAreSentAgainInTheirOrder() {
        append(0, 6, 8);
        AtomicInteger writes = new AtomicInteger();
        TestDestination destination = new TestDestination().outcomes(batch -> {
            WriteResult result = WriteResult.accepted(batch.size());
            if (writes.incrementAndGet() == 1) {
                result.retry(1, "InternalFailure").throttle(4, "ProvisionedThroughputExceededException");
            }
            return result;
        });

        Forwarder forwarder = start(destination, new BatchConfig(1000, MIB, 0));
        Await.until("6 delivered", () -> forwarder.status().delivered() == 6);

        assertThat(topics(destination.attempts.get(0))).containsExactlyElementsOf(topicRange(0, 6));
        assertThat(topics(destination.attempts.get(1))).containsExactly("topic/1", "topic/4");
        assertThat(topics(destination.acceptedEntries())).containsExactlyInAnyOrderElementsOf(topicRange(0, 6))
                .doesNotHaveDuplicates();
        assertThat(registry.get("tidegate.forward.retries").counter().count()).isEqualTo(2);
        assertThat(registry.get("tidegate.forward.throttles").counter().count()).isEqualTo(1);
        assertThat(registry.get("tidegate.forwarded.messages").counter().count()).isEqualTo(6);
        assertThat(registry.get("tidegate.forward.billable.units").tag("unit", "test_units").counter().count())
                .isEqualTo(6);
        assertThat(outbox.storedPosition(Forwarder.READER_NAME)).isEqualTo(outbox.lastIndex());
    }

    @Test
    void theDestinationsMetersDescribeWhatItAccepted() {
        long ingest = System.currentTimeMillis() - 5_000;
        try (OutboxAppender appender = outbox.newAppender()) {
            for (int i = 0; i < 10; i++) {
                byte[] payload = new byte[8 + i];
                appender.append(i, i, ingest, "client", "topic/" + i, 1, false, MessageProperties.NONE, payload,
                        payload.length);
            }
        }
        TestDestination destination = new TestDestination();
        Forwarder forwarder = start(destination, new BatchConfig(4, MIB, 0));
        Await.until("10 delivered", () -> forwarder.status().delivered() == 10);

        assertThat(destination.batchSizes()).containsExactly(4, 4, 2);
        assertThat(registry.get("tidegate.forwarded.messages").tag("destination", "dest").counter().count())
                .isEqualTo(10);
        assertThat(registry.get("tidegate.forwarded.batches").counter().count()).isEqualTo(3);
        assertThat(registry.get("tidegate.forwarded.bytes").counter().count()).as("payload bytes")
                .isEqualTo(10 * 8 + 45);
        DistributionSummary batchSize = registry.get("tidegate.forward.batch.size").summary();
        assertThat(batchSize.count()).isEqualTo(3);
        assertThat(batchSize.totalAmount()).isEqualTo(10);
        assertThat(batchSize.max()).isEqualTo(4);
        Timer latency = registry.get("tidegate.forward.latency").timer();
        assertThat(latency.count()).as("one sample per batch: its oldest message").isEqualTo(3);
        assertThat(latency.max(TimeUnit.MILLISECONDS)).as("ingest → accepted").isBetween(5_000.0, 65_000.0);
        assertThat(registry.get("tidegate.forward.inflight").gauge().value()).isZero();
        assertThat(registry.get("tidegate.forward.billable.units").tag("unit", "test_units").counter().count())
                .isEqualTo(10);
        for (String none : List.of("tidegate.forward.retries", "tidegate.forward.throttles", "tidegate.forward.rejects",
                "tidegate.forward.errors")) {
            assertThat(registry.get(none).tag("destination", "dest").counter().count()).as(none).isZero();
        }
    }

    @Test
    void thePositionWaitsUntilEveryEntryOfTheBatchIsAccepted() {
        append(0, 3, 8);
        TestDestination destination = new TestDestination()
                .outcomes(batch -> WriteResult.accepted(batch.size()).retry(batch.size() - 1, "InternalFailure"));
        Forwarder forwarder = start(destination, new BatchConfig(1000, MIB, 0));
        Await.until("a few retries", () -> destination.attempts.size() >= 3);

        assertThat(forwarder.status().state()).isEqualTo("degraded");
        assertThat(forwarder.status().lastError()).contains("1 of").contains("InternalFailure");
        assertThat(outbox.storedPosition(Forwarder.READER_NAME)).isEqualTo(Outbox.NO_POSITION);
        assertThat(List.copyOf(destination.attempts).subList(1, 3)).allSatisfy(a -> assertThat(topics(a)).containsExactly("topic/2"));
    }

    @Test
    void deferredEntriesGoInTheNextCallInOrderWithoutCountingAsFailures() {
        append(0, 3, 8);
        AtomicInteger calls = new AtomicInteger();
        TestDestination destination = new TestDestination().outcomes(batch -> {
            WriteResult result = WriteResult.accepted(batch.size());
            if (calls.getAndIncrement() == 0) {
                for (int i = 1; i < batch.size(); i++) {
                    result.defer(i);
                }
            }
            return result;
        });

        Forwarder forwarder = start(destination, new BatchConfig(1000, MIB, 0));
        Await.until("all delivered", () -> forwarder.status().delivered() == 3);

        assertThat(destination.attempts).extracting(ForwarderTest::topics)
                .containsExactly(List.of("topic/0", "topic/1", "topic/2"), List.of("topic/1", "topic/2"));
        assertThat(registry.get("tidegate.forward.retries").counter().count()).isZero();
        assertThat(forwarder.status().isHealthy()).isTrue();
    }

    @Test
    void rejectedEntriesGoToTheDeadLetterOutboxWithTheirReason() {
        append(0, 4, 8);
        TestDestination destination = new TestDestination()
                .outcomes(batch -> WriteResult.accepted(batch.size()).reject(2, "ValidationException: bad key"));

        Forwarder forwarder = start(destination, new BatchConfig(1000, MIB, 0));
        // The status is published just after the commit: wait for both.
        Await.until("batch complete", () -> outbox.storedPosition(Forwarder.READER_NAME) == outbox.lastIndex()
                && forwarder.status().delivered() == 3);

        assertThat(topics(destination.acceptedEntries())).containsExactly("topic/0", "topic/1", "topic/3");
        List<OutboxEntry> dead = deadLetters();
        assertThat(topics(dead)).containsExactly("topic/2");
        assertThat(dead.get(0).actionSettings()).containsExactly(Map.entry("partitionKey", "pk-2"));
        assertThat(dead.get(0).properties().userProperties()).containsExactly(
                Map.entry(DeadLetters.REASON_PROPERTY, "ValidationException: bad key"),
                Map.entry(DeadLetters.DESTINATION_PROPERTY, "dest"));
        assertThat(registry.get("tidegate.forward.rejects").counter().count()).isEqualTo(1);
        assertThat(forwarder.status().delivered()).isEqualTo(3);
    }

    @Test
    void batchesStayWithinTheDestinationsLimitsAndAnEntryThatNeverFitsIsDeadLettered() {
        append(0, 5, 40);
        append(5, 6, 500);
        append(6, 9, 40);
        TestDestination destination = new TestDestination().limits(new DestinationLimits(2, 100, 200));

        start(destination, new BatchConfig(1000, MIB, 0));
        Await.until("all passed", () -> outbox.storedPosition(Forwarder.READER_NAME) == outbox.lastIndex());

        assertThat(destination.attempts).allSatisfy(batch -> {
            assertThat(batch).hasSizeLessThanOrEqualTo(2);
            assertThat(payloadBytes(batch)).isLessThanOrEqualTo(100);
        });
        assertThat(topics(destination.acceptedEntries())).containsExactly("topic/0", "topic/1", "topic/2", "topic/3",
                "topic/4", "topic/6", "topic/7", "topic/8");
        List<OutboxEntry> dead = deadLetters();
        assertThat(topics(dead)).containsExactly("topic/5");
        assertThat(dead.get(0).payload()).hasSize(500);
        assertThat(dead.get(0).properties().userProperties().get(0).getValue())
                .isEqualTo("entry of 500 bytes exceeds the destination's limit of 100 bytes");
    }

    private List<OutboxEntry> deadLetters() {
        List<OutboxEntry> dead = new ArrayList<>();
        try (OutboxReader reader = deadLetterOutbox.openBrowserAt(Outbox.NO_POSITION)) {
            for (OutboxEntry e = reader.next(); e != null; e = reader.next()) {
                dead.add(e);
            }
        }
        return dead;
    }

    @Test
    void batchesHoldAtMostMaxRecords() {
        append(0, 10, 8);
        TestDestination destination = new TestDestination();

        start(destination, new BatchConfig(4, MIB, 0));
        Await.until("10 delivered", () -> destination.acceptedEntries().size() == 10);

        assertThat(destination.batchSizes()).containsExactly(4, 4, 2);
        assertThat(topics(destination.acceptedEntries())).containsExactlyElementsOf(topicRange(0, 10));
    }

    @Test
    void batchesHoldAtMostMaxBytesOfPayload() {
        append(0, 7, 40);
        TestDestination destination = new TestDestination();

        start(destination, new BatchConfig(1000, 100, 0));
        Await.until("7 delivered", () -> destination.acceptedEntries().size() == 7);

        assertThat(destination.accepted).allSatisfy(batch -> assertThat(payloadBytes(batch)).isLessThanOrEqualTo(100));
        assertThat(destination.batchSizes()).containsExactly(2, 2, 2, 1);
        assertThat(topics(destination.acceptedEntries())).containsExactlyElementsOf(topicRange(0, 7));
    }

    @Test
    void anEntryLargerThanMaxBytesGoesAlone() {
        append(0, 1, 40);
        append(1, 2, 250);
        append(2, 3, 40);
        TestDestination destination = new TestDestination();

        start(destination, new BatchConfig(1000, 100, 0));
        Await.until("3 delivered", () -> destination.acceptedEntries().size() == 3);

        assertThat(destination.batchSizes()).containsExactly(1, 1, 1);
        assertThat(topics(destination.acceptedEntries())).containsExactlyElementsOf(topicRange(0, 3));
    }

    @Test
    void lingerHoldsAPartialBatchUntilItFills() {
        TestDestination destination = new TestDestination();
        start(destination, new BatchConfig(3, MIB, 60_000));

        append(0, 1, 8);
        append(1, 2, 8);
        append(2, 3, 8);
        Await.until("3 delivered", () -> destination.acceptedEntries().size() == 3);

        assertThat(destination.batchSizes()).containsExactly(3);
    }

    @Test
    void aPartialBatchIsWrittenWhenLingerRunsOut() {
        TestDestination destination = new TestDestination();
        start(destination, new BatchConfig(1000, MIB, 5));

        append(0, 1, 8);
        Await.until("1 delivered", () -> destination.acceptedEntries().size() == 1);

        assertThat(destination.batchSizes()).containsExactly(1);
    }

    @Test
    void aFailedBatchIsOfferedAgainUntilAcceptedAndNothingIsLostOrDuplicated() {
        append(0, 5, 8);
        TestDestination destination = new TestDestination().failNext(2);

        Forwarder forwarder = start(destination, new BatchConfig(1000, MIB, 0));
        Await.until("accepted", () -> destination.accepted.size() == 1);
        append(5, 8, 8);
        // the status is updated last, after the commit and the meters
        Await.until("8 delivered", () -> forwarder.status().delivered() == 8);

        assertThat(destination.attempts).as("two failures, then every write accepted")
                .hasSize(destination.accepted.size() + 2);
        assertThat(topics(destination.attempts.get(0))).containsExactlyElementsOf(topicRange(0, 5));
        assertThat(indices(destination.attempts.get(1))).isEqualTo(indices(destination.attempts.get(0)));
        assertThat(indices(destination.attempts.get(2))).isEqualTo(indices(destination.attempts.get(0)));
        assertThat(destination.accepted.get(0)).isEqualTo(destination.attempts.get(2));
        assertThat(topics(destination.acceptedEntries())).containsExactlyElementsOf(topicRange(0, 8));
        assertThat(registry.get("tidegate.forward.errors").counter().count()).isEqualTo(2);
        assertThat(registry.get("tidegate.forwarded.messages").counter().count()).isEqualTo(8);
        ForwarderStatus status = forwarder.status();
        assertThat(status.isHealthy()).isTrue();
        assertThat(status.delivered()).isEqualTo(8);
        assertThat(status.target()).isEqualTo("test:memory");
        assertThat(outbox.stats().backlogEntries()).isZero();
        assertThat(outbox.storedPosition(Forwarder.READER_NAME)).isEqualTo(outbox.lastIndex());
    }

    @Test
    void statusIsDegradedWhileWritesFailAndHealthyAgainAfter() {
        append(0, 1, 8);
        TestDestination destination = new TestDestination().failNext(1).holdAttempt(2);

        Forwarder forwarder = create(destination, new BatchConfig(1000, MIB, 0));
        assertThat(forwarder.status().state()).isEqualTo("healthy");
        forwarder.start();
        Await.until("the retry is under way", () -> destination.attempts.size() == 2);

        assertThat(forwarder.status().state()).isEqualTo("degraded");
        assertThat(forwarder.status().isHealthy()).isFalse();
        assertThat(forwarder.status().lastError()).contains("injected failure");

        destination.release();
        Await.until("accepted", () -> destination.accepted.size() == 1);
        Await.until("healthy again", () -> forwarder.status().isHealthy());
        assertThat(forwarder.status().delivered()).isEqualTo(1);
    }

    @Test
    void thePositionMovesOnlyPastWhatTheDestinationAccepted() {
        append(0, 5, 8);
        TestDestination failing = new TestDestination().failAlways(true);
        Forwarder forwarder = start(failing, new BatchConfig(1000, MIB, 0));
        Await.until("a few attempts", () -> failing.attempts.size() >= 3);

        forwarder.stop(Duration.ofMillis(200));

        assertThat(failing.accepted).isEmpty();
        assertThat(failing.isClosed()).isTrue();
        assertThat(outbox.storedPosition(Forwarder.READER_NAME)).isEqualTo(Outbox.NO_POSITION);
        outbox.close();
        outbox = open();
        try (OutboxReader reader = outbox.openReader(Forwarder.READER_NAME)) {
            List<OutboxEntry> left = new ArrayList<>();
            for (OutboxEntry e = reader.next(); e != null; e = reader.next()) {
                left.add(e);
            }
            assertThat(topics(left)).containsExactlyElementsOf(topicRange(0, 5));
        }

        TestDestination working = new TestDestination();
        start(working, new BatchConfig(1000, MIB, 0));
        Await.until("5 delivered", () -> working.acceptedEntries().size() == 5);
        assertThat(topics(working.acceptedEntries())).containsExactlyElementsOf(topicRange(0, 5));
    }

    @Test
    void aRestartedForwarderDeliversOnlyWhatIsNew() {
        append(0, 3, 8);
        TestDestination first = new TestDestination();
        Forwarder forwarder = start(first, new BatchConfig(1000, MIB, 0));
        Await.until("3 delivered", () -> first.acceptedEntries().size() == 3);
        forwarder.stop(Duration.ofSeconds(5));
        outbox.close();
        outbox = open();
        append(3, 5, 8);

        TestDestination second = new TestDestination();
        start(second, new BatchConfig(1000, MIB, 0));
        Await.until("2 delivered", () -> second.acceptedEntries().size() == 2);

        assertThat(topics(second.acceptedEntries())).containsExactly("topic/3", "topic/4");
        Await.until("the backlog is empty", () -> outbox.stats().backlogEntries() == 0);
    }

    @Test
    void stopDeliversWhatIsPendingWithoutWaitingForTheLinger() {
        TestDestination destination = new TestDestination();
        Forwarder forwarder = start(destination, new BatchConfig(1000, MIB, 60_000));
        append(0, 3, 8);

        forwarder.stop(Duration.ofSeconds(10));

        assertThat(topics(destination.acceptedEntries())).containsExactlyElementsOf(topicRange(0, 3));
        assertThat(destination.isClosed()).isTrue();
        assertThat(outbox.storedPosition(Forwarder.READER_NAME)).isEqualTo(outbox.lastIndex());
    }

    @Test
    void stopStartsNoNewBatchOnceItsTimeoutHasPassed() throws InterruptedException {
        append(0, 50, 8);
        TestDestination destination = new TestDestination().holdAttempt(1);
        Forwarder forwarder = start(destination, new BatchConfig(1, MIB, 0));
        Await.until("the first write is under way", () -> destination.attempts.size() == 1);

        Thread stopper = new Thread(() -> forwarder.stop(Duration.ZERO), "test-stopper");
        stopper.start();
        Await.until("stop() is waiting for the forwarder", () -> stopper.getState() == Thread.State.TIMED_WAITING);
        destination.release();
        stopper.join(Await.TIMEOUT.toMillis());

        assertThat(stopper.isAlive()).isFalse();
        assertThat(destination.batchSizes()).as("only the write in flight completes").containsExactly(1);
        assertThat(destination.isClosed()).isTrue();
        assertThat(outbox.countAfter(outbox.storedPosition(Forwarder.READER_NAME))).isEqualTo(49);
    }

    // ---- helpers ----

    private Outbox open() {
        return Outbox.open("dest", dir, OutboxConfig.RollCycle.DAILY);
    }

    private Forwarder start(TestDestination destination, BatchConfig batch) {
        Forwarder forwarder = create(destination, batch);
        forwarder.start();
        return forwarder;
    }

    /** A forwarder retrying within milliseconds, stopped after the test. */
    private Forwarder create(TestDestination destination, BatchConfig batch) {
        Forwarder forwarder = new Forwarder("dest", outbox, destination, new DeadLetters(deadLetterOutbox, "dest"),
                batch, registry, new Backoff(1, 10));
        started.add(forwarder);
        return forwarder;
    }

    /** Appends entries {@code from..to-1} with topic {@code topic/i} and a payload of {@code payloadBytes}. */
    private void append(int from, int to, int payloadBytes) {
        try (OutboxAppender appender = outbox.newAppender()) {
            for (int i = from; i < to; i++) {
                byte[] payload = new byte[payloadBytes];
                Arrays.fill(payload, (byte) ('a' + i % 26));
                appender.append(i, i, System.currentTimeMillis(), "client", "topic/" + i, 1, false,
                        MessageProperties.NONE, List.of(Map.entry("partitionKey", "pk-" + i)), payload, payload.length);
            }
        }
    }

    private static List<String> topicRange(int from, int to) {
        List<String> topics = new ArrayList<>();
        for (int i = from; i < to; i++) {
            topics.add("topic/" + i);
        }
        return topics;
    }

    private static List<String> topics(List<OutboxEntry> entries) {
        return entries.stream().map(OutboxEntry::topic).toList();
    }

    private static List<Long> indices(List<OutboxEntry> entries) {
        return entries.stream().map(OutboxEntry::index).toList();
    }

    private static long payloadBytes(List<OutboxEntry> batch) {
        return batch.stream().mapToLong(e -> e.payload().length).sum();
    }
}
