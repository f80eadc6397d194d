package io.tidegate.forward;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tidegate.config.BatchConfig;
import io.tidegate.config.DestinationOutboxConfig;
import io.tidegate.config.OutboxConfig;
import io.tidegate.outbox.OutboxTestAccess;
import io.tidegate.outbox.MessageProperties;
import io.tidegate.outbox.Outbox;
import io.tidegate.outbox.OutboxAppender;
import io.tidegate.outbox.OutboxBudget;
import io.tidegate.outbox.OutboxEntry;
import io.tidegate.outbox.OutboxReader;
import io.tidegate.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a forwarder drops instead of delivering, and that every drop is counted with its reason. */
class ForwarderDropTest {

    @TempDir
    Path dir;
    @TempDir
    Path deadLetterDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
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
        if (forwarder != null) {
            forwarder.stop(Duration.ofSeconds(5));
        }
        outbox.close();
        deadLetterOutbox.close();
    }

    @Test
    void expiredAndTooOldEntriesAreDroppedAndCountedAndTheRestDelivered() {
        long now = System.currentTimeMillis();
        try (OutboxAppender appender = outbox.newAppender()) {
            append(appender, 0, now, MessageProperties.NONE);
            append(appender, 1, now - 10_000, new MessageProperties(false, 5L, null, null, null, List.of()));
            append(appender, 2, now - 120_000, MessageProperties.NONE);
            append(appender, 3, now, new MessageProperties(false, 3600L, null, null, null, List.of()));
        }
        TestDestination destination = new TestDestination();

        start(destination, new DestinationOutboxConfig(null, 60L, null));
        Await.until("all committed", () -> outbox.storedPosition(Forwarder.READER_NAME) == outbox.lastIndex());

        assertThat(destination.acceptedEntries()).extracting(OutboxEntry::topic).containsExactly("t/0", "t/3");
        assertThat(dropped("expired")).isEqualTo(1);
        assertThat(dropped("max-age")).isEqualTo(1);
    }

    @Test
    void dropOldestGivesUpTheOldestEntriesOfAFullOutboxWhileTheDestinationIsDown() {
        try (OutboxAppender appender = outbox.newAppender()) {
            for (int i = 0; i < 12_000; i++) {
                append(appender, i, System.currentTimeMillis(), MessageProperties.NONE);
            }
        }
        long bytesBefore = outbox.stats().backlogBytes();
        assertThat(bytesBefore).isGreaterThan(2L * 1024 * 1024);
        TestDestination destination = new TestDestination().failAlways(true);

        start(destination, new DestinationOutboxConfig(1024L * 1024, null, DestinationOutboxConfig.Overflow.DROP_OLDEST));
        Await.until("under 1 MiB", () -> outbox.stats().backlogBytes() <= 1024 * 1024);
        destination.failAlways(false);
        Await.until("the rest delivered", () -> outbox.storedPosition(Forwarder.READER_NAME) == outbox.lastIndex());

        long delivered = destination.acceptedEntries().size();
        assertThat(dropped("max-bytes") + delivered).isEqualTo(12_000);
        assertThat(destination.acceptedEntries().get(0).topic()).as("the oldest went first")
                .isEqualTo("t/" + (int) dropped("max-bytes"));
    }

    @Test
    void aDamagedEntryIsSkippedKeptAsBytesAndCountedAndTheNextOneDelivered() throws Exception {
        try (OutboxAppender appender = outbox.newAppender()) {
            append(appender, 0, System.currentTimeMillis(), MessageProperties.NONE);
        }
        OutboxTestAccess.appendRaw(outbox, new byte[] {2, 0, 1}); // version 2, then cut short
        try (OutboxAppender appender = outbox.newAppender()) {
            append(appender, 2, System.currentTimeMillis(), MessageProperties.NONE);
        }
        TestDestination destination = new TestDestination();

        start(destination, new DestinationOutboxConfig(null, null, null));
        Await.until("all committed", () -> outbox.storedPosition(Forwarder.READER_NAME) == outbox.lastIndex());

        assertThat(destination.acceptedEntries()).extracting(OutboxEntry::topic).containsExactly("t/0", "t/2");
        assertThat(dropped("corrupt")).isEqualTo(1);
        try (var files = Files.list(dir.resolve(OutboxReader.CORRUPT_DIR))) {
            assertThat(files.toList()).singleElement().satisfies(f -> assertThat(Files.readAllBytes(f))
                    .containsExactly(2, 0, 1));
        }
        assertThat(forwarder.status().state()).isEqualTo("healthy");
    }

    private void start(TestDestination destination, DestinationOutboxConfig limits) {
        OutboxBudget budget = new OutboxBudget(outbox, limits, OutboxTestAccess.unlimitedDisk());
        forwarder = new Forwarder("dest", outbox, destination, new DeadLetters(deadLetterOutbox, "dest"),
                new BatchConfig(1000, 1024 * 1024, 0), registry, new Backoff(1, 5), budget);
        forwarder.start();
    }

    private double dropped(String reason) {
        Counter counter = registry.find("tidegate.outbox.dropped").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private static void append(OutboxAppender appender, int i, long ingest, MessageProperties properties) {
        byte[] payload = ("payload-" + i + "-" + "x".repeat(150)).getBytes();
        appender.append(i, i, ingest, "client", "t/" + i, 1, false, properties, payload, payload.length);
    }
}
