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

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several batches in flight ({@code batch.maxInFlight} > 1): writes complete in any order, the
 * outbox position moves only past the batches that completed in outbox order, and a failed batch
 * is retried without holding the others back.
 */
class ForwarderWindowTest {

    @TempDir
    Path dir;
    @TempDir
    Path deadLetterDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AsyncDestination destination = new AsyncDestination();
    private Outbox outbox;
    private Outbox deadLetterOutbox;
    private Forwarder forwarder;

    @BeforeEach
    void open() {
        outbox = Outbox.open("dest", dir, OutboxConfig.RollCycle.DAILY);
        deadLetterOutbox = Outbox.open("deadletter/dest", deadLetterDir, OutboxConfig.RollCycle.DAILY);
    }

    @AfterEach
    void close() {
        destination.writes.forEach(w -> w.future.complete(WriteResult.accepted(w.batch.size())));
        if (forwarder != null) {
            forwarder.stop(Duration.ofSeconds(5));
        }
        outbox.close();
        deadLetterOutbox.close();
    }

    @Test
    void batchesCompletedOutOfOrderAreCommittedInOrder() {
        append(9);
        start(3);
        Await.until("three writes under way at once", () -> destination.writes.size() == 3);
        assertThat(destination.writes).extracting(w -> w.batch.get(0).topic())
                .containsExactly("topic/0", "topic/3", "topic/6");

        destination.accept(2);
        destination.accept(1);
        Await.until("writes 1 and 2 handled", () -> registry.get("tidegate.forwarded.batches").counter().count() == 0
                && registry.get("tidegate.forward.inflight").gauge().value() == 3);
        assertThat(outbox.storedPosition(Forwarder.READER_NAME)).as("nothing committed past batch 0")
                .isEqualTo(Outbox.NO_POSITION);

        destination.accept(0);
        Await.until("all committed", () -> outbox.storedPosition(Forwarder.READER_NAME) == outbox.lastIndex());
        assertThat(forwarder.status().delivered()).isEqualTo(9);
        assertThat(registry.get("tidegate.forward.inflight").gauge().value()).isZero();
    }

    @Test
    void aFailedBatchIsRetriedWhileTheOthersCompleteAndTheCommitWaitsForIt() {
        append(9);
        start(3);
        Await.until("three writes under way", () -> destination.writes.size() == 3);

        destination.fail(1);
        destination.accept(0);
        destination.accept(2);
        Await.until("batch 1 sent again", () -> destination.writes.size() == 4);
        assertThat(destination.writes.get(3).batch).extracting(OutboxEntry::topic)
                .containsExactly("topic/3", "topic/4", "topic/5");
        Await.until("batch 0 committed", () -> outbox.storedPosition(Forwarder.READER_NAME)
                == destination.writes.get(0).batch.get(2).index());

        destination.accept(3);
        Await.until("all committed", () -> outbox.storedPosition(Forwarder.READER_NAME) == outbox.lastIndex());
        assertThat(forwarder.status().delivered()).isEqualTo(9);
        assertThat(registry.get("tidegate.forward.retries").counter().count()).isEqualTo(3);
    }

    @Test
    void noNewBatchStartsWhileOneWaitsToBeRetried() {
        append(12);
        start(2);
        Await.until("two writes", () -> destination.writes.size() == 2);

        destination.fail(0);
        destination.accept(1);
        Await.until("batch 0 again", () -> destination.writes.size() == 3);
        assertThat(destination.writes.get(2).batch.get(0).topic()).isEqualTo("topic/0");
        destination.accept(2);
        Await.until("the window refills after the retry succeeded", () -> destination.writes.size() == 5);
        assertThat(destination.writes.get(3).batch.get(0).topic()).isEqualTo("topic/6");
    }

    private void start(int maxInFlight) {
        forwarder = new Forwarder("dest", outbox, destination, new DeadLetters(deadLetterOutbox, "dest"),
                new BatchConfig(3, 1024 * 1024, 0, maxInFlight), registry, new Backoff(1, 5));
        forwarder.start();
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

    /** Writes that complete when the test says so, in any order. */
    private static final class AsyncDestination implements Destination {

        record Write(List<OutboxEntry> batch, CompletableFuture<WriteResult> future) {
        }

        final List<Write> writes = new CopyOnWriteArrayList<>();

        void accept(int write) {
            Write w = writes.get(write);
            w.future.complete(WriteResult.accepted(w.batch.size()));
        }

        void fail(int write) {
            writes.get(write).future.completeExceptionally(new IOException("injected"));
        }

        @Override
        public CompletableFuture<WriteResult> writeAsync(List<OutboxEntry> batch) {
            CompletableFuture<WriteResult> future = new CompletableFuture<>();
            writes.add(new Write(List.copyOf(batch), future));
            return future;
        }

        @Override
        public WriteResult write(List<OutboxEntry> batch) {
            throw new UnsupportedOperationException("asynchronous only");
        }

        @Override
        public String describe() {
            return "test:async";
        }

        @Override
        public void close() {
        }
    }
}
