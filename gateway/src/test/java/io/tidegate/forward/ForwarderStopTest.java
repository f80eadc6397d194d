package io.tidegate.forward;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tidegate.config.BatchConfig;
import io.tidegate.config.OutboxConfig;
import io.tidegate.outbox.MessageProperties;
import io.tidegate.outbox.Outbox;
import io.tidegate.outbox.OutboxAppender;
import io.tidegate.outbox.OutboxEntry;
import io.tidegate.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stopping (graceful shutdown: {@code requestStop} then {@code awaitStop}): once a batch cannot be
 * finished before the stop deadline, or the deadline has passed, no new batch starts; the writes
 * under way ahead of it are waited for up to the deadline; every batch that completed is committed
 * in outbox order before the thread ends, so a restart sends nothing twice that was delivered.
 * Retry waits are fixed (the longest the backoff allows), so whether a retry falls past the
 * deadline does not depend on chance.
 */
class ForwarderStopTest {

    private static final int MIB = 1024 * 1024;
    /** Every retry waits about a minute: past any stop deadline these tests set. */
    private static final long RETRY_WAIT_MS = 60_000;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    @TempDir
    Path deadLetterDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Forwarder> created = new ArrayList<>();
    private final List<TestDestination> destinations = new ArrayList<>();
    private Outbox outbox;
    private Outbox deadLetterOutbox;

    @BeforeEach
    void openOutbox() {
        outbox = open();
        deadLetterOutbox = Outbox.open("deadletter/dest", deadLetterDir, OutboxConfig.RollCycle.DAILY);
    }

    @AfterEach
    void stopAll() {
        destinations.forEach(TestDestination::release);
        created.forEach(f -> f.stop(Duration.ofSeconds(5)));
        outbox.close();
        deadLetterOutbox.close();
    }

    @Test
    void aBatchCompletedInThePassWhereARetryMissesTheStopDeadlineIsCommitted() {
        append(2);
        TestDestination destination = destination(1).holdAttempt(1);
        Forwarder forwarder = create(destination, 2);
        forwarder.start();
        Await.until("the first write is under way", () -> destination.attempts.size() == 1);

        forwarder.requestStop(STOP_TIMEOUT);
        destination.release();
        assertThat(forwarder.awaitStop(STOP_TIMEOUT)).isTrue();

        assertThat(topics(destination.attempts.stream().flatMap(List::stream).toList()))
                .containsExactly("topic/0", "topic/1");
        assertThat(outbox.storedPosition(Forwarder.READER_NAME)).as("topic/0 was accepted: committed")
                .isEqualTo(destination.acceptedEntries().get(0).index());
        assertThat(destination.isClosed()).isTrue();
        assertThat(restartAndDeliver(1)).as("after a restart only the retried batch goes again")
                .containsExactly("topic/1");
    }

    @Test
    void writesInFlightWhenARetryMissesTheStopDeadlineAreWaitedForAndCommitted() {
        append(3);
        // topic/0 is written asynchronously and completes only when released; topic/1 fails at once.
        TestDestination destination = destination(1).holdAttemptInFlight(1);
        Forwarder forwarder = create(destination, 2);
        forwarder.requestStop(STOP_TIMEOUT);
        forwarder.start();
        Await.until("topic/1 failed and waits for a retry past the deadline",
                () -> "degraded".equals(forwarder.status().state()));

        destination.release();
        assertThat(forwarder.awaitStop(STOP_TIMEOUT)).isTrue();

        assertThat(destination.attempts).as("no new batch once a retry misses the deadline").hasSize(2);
        assertThat(outbox.storedPosition(Forwarder.READER_NAME)).as("the write in flight completed: committed")
                .isEqualTo(destination.acceptedEntries().get(0).index());
        assertThat(restartAndDeliver(2)).containsExactly("topic/1", "topic/2");
    }

    @Test
    void noNewBatchStartsOnceTheStopDeadlineHasPassedAndWhatCompletedIsCommitted() {
        append(5);
        TestDestination destination = new TestDestination().holdAttempt(1);
        destinations.add(destination);
        Forwarder forwarder = create(destination, 3);
        forwarder.start();
        Await.until("the first write is under way", () -> destination.attempts.size() == 1);

        forwarder.requestStop(Duration.ZERO);
        destination.release();
        assertThat(forwarder.awaitStop(STOP_TIMEOUT)).isTrue();

        assertThat(destination.attempts).as("only the write under way at the deadline").hasSize(1);
        assertThat(outbox.storedPosition(Forwarder.READER_NAME))
                .isEqualTo(destination.acceptedEntries().get(0).index());
        assertThat(restartAndDeliver(4)).containsExactly("topic/1", "topic/2", "topic/3", "topic/4");
    }

    @Test
    void aBatchCompletedBeforeAnUnexpectedErrorIsCommitted() {
        append(2);
        // The write of topic/1 reports one outcome too many: the forwarder stops on that error.
        TestDestination destination = new TestDestination().outcomes(batch -> WriteResult.accepted(
                batch.get(0).topic().equals("topic/1") ? batch.size() + 1 : batch.size()));
        destinations.add(destination);
        Forwarder forwarder = create(destination, 2);
        forwarder.start();
        Await.until("the forwarder failed", () -> "failed".equals(forwarder.status().state()));

        assertThat(forwarder.awaitStop(STOP_TIMEOUT)).isTrue();
        assertThat(forwarder.status().state()).isEqualTo("failed");
        assertThat(outbox.storedPosition(Forwarder.READER_NAME))
                .isEqualTo(destination.acceptedEntries().get(0).index());
    }

    // ---- helpers ----

    /** A destination that reports entry {@code retried}'s topic retriable every time. */
    private TestDestination destination(int retried) {
        Function<List<OutboxEntry>, WriteResult> outcomes = batch -> {
            WriteResult result = WriteResult.accepted(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                if (batch.get(i).topic().equals("topic/" + retried)) {
                    result = result.retry(i, "injected retriable");
                }
            }
            return result;
        };
        TestDestination destination = new TestDestination().outcomes(outcomes);
        destinations.add(destination);
        return destination;
    }

    /** Batches of one entry, {@code maxInFlight} at once, every retry waiting {@link #RETRY_WAIT_MS}. */
    private Forwarder create(TestDestination destination, int maxInFlight) {
        Forwarder forwarder = new Forwarder("dest", outbox, destination, new DeadLetters(deadLetterOutbox, "dest"),
                new BatchConfig(1, MIB, 0, maxInFlight), registry,
                new Backoff(RETRY_WAIT_MS, RETRY_WAIT_MS, ceiling -> ceiling - 1));
        created.add(forwarder);
        return forwarder;
    }

    /** Reopens the outbox as a restart does and returns the topics a new forwarder delivers. */
    private List<String> restartAndDeliver(int expected) {
        outbox.close();
        outbox = open();
        TestDestination working = new TestDestination();
        destinations.add(working);
        Forwarder forwarder = create(working, 1);
        forwarder.start();
        Await.until(expected + " delivered after the restart", () -> working.acceptedEntries().size() >= expected);
        Await.until("the backlog is empty", () -> outbox.stats().backlogEntries() == 0);
        forwarder.stop(Duration.ofSeconds(5));
        return topics(working.acceptedEntries());
    }

    private Outbox open() {
        return Outbox.open("dest", dir, OutboxConfig.RollCycle.DAILY);
    }

    private void append(int count) {
        try (OutboxAppender appender = outbox.newAppender()) {
            for (int i = 0; i < count; i++) {
                byte[] payload = ("m" + i).getBytes();
                appender.append(i, i, System.currentTimeMillis(), "client", "topic/" + i, 1, false,
                        MessageProperties.NONE, List.of(), payload, payload.length);
            }
        }
    }

    private static List<String> topics(List<OutboxEntry> entries) {
        return entries.stream().map(OutboxEntry::topic).toList();
    }
}
