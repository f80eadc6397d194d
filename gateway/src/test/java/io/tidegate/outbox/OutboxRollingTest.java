package io.tidegate.outbox;

import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static io.tidegate.outbox.OutboxTest.append;
import static io.tidegate.outbox.OutboxTest.commit;
import static io.tidegate.outbox.OutboxTest.read;
import static io.tidegate.outbox.OutboxTest.readAll;
import static io.tidegate.outbox.OutboxTest.topics;
import static org.assertj.core.api.Assertions.assertThat;

/** Several queue files: a one-second roll cycle and a clock the test moves. */
class OutboxRollingTest {

    private static final String READER = "forwarder";

    @TempDir
    Path dir;

    private final SetTimeProvider time = new SetTimeProvider(Instant.parse("2025-03-01T10:00:00Z"));
    private Outbox outbox;
    private List<Long> indices;

    @BeforeEach
    void threeFiles() {
        outbox = open();
        indices = new java.util.ArrayList<>();
        indices.addAll(append(outbox, 0, 2));
        time.advanceMillis(1000);
        indices.addAll(append(outbox, 2, 4));
        time.advanceMillis(1000);
        indices.addAll(append(outbox, 4, 6));
    }

    @AfterEach
    void closeOutbox() {
        if (outbox != null) {
            outbox.close();
        }
    }

    @Test
    void eachCycleHasItsFile() throws IOException {
        assertThat(queueFiles()).containsExactly("20250301-100000T.cq4", "20250301-100001T.cq4",
                "20250301-100002T.cq4");
        assertThat(outbox.countAfter(Outbox.NO_POSITION)).isEqualTo(6);
        assertThat(outbox.countAfter(indices.get(1))).isEqualTo(4);
        assertThat(outbox.countAfter(indices.get(2))).isEqualTo(3);
    }

    @Test
    void commitDeletesFilesOfEarlierCyclesOnly() throws IOException {
        try (OutboxReader reader = outbox.openReader(READER)) {
            commit(reader, read(reader, 3)); // the committed entry is the first of the second file

            assertThat(queueFiles()).containsExactly("20250301-100001T.cq4", "20250301-100002T.cq4");
            assertThat(readAll(reader)).extracting(OutboxEntry::topic).containsExactly(topics(3, 6));
        }
        assertThat(outbox.countAfter(outbox.storedPosition(READER))).isEqualTo(3);
        assertThat(outbox.countAfter(Outbox.NO_POSITION)).isEqualTo(4);

        outbox.close();
        outbox = open();

        try (OutboxReader reader = outbox.openReader(READER)) {
            assertThat(outbox.stats().backlogEntries()).isEqualTo(3);
            assertThat(readAll(reader)).extracting(OutboxEntry::topic).containsExactly(topics(3, 6));
        }
    }

    @Test
    void committingTheLastEntryOfAFileKeepsThatFile() throws IOException {
        try (OutboxReader reader = outbox.openReader(READER)) {
            commit(reader, read(reader, 2));

            assertThat(queueFiles()).hasSize(3);
        }
        outbox.close();
        outbox = open();

        try (OutboxReader reader = outbox.openReader(READER)) {
            assertThat(readAll(reader)).extracting(OutboxEntry::topic).containsExactly(topics(2, 6));
        }
    }

    @Test
    void appendingAndReadingGoOnAfterPassedFilesAreDeleted() throws IOException {
        try (OutboxReader reader = outbox.openReader(READER)) {
            commit(reader, readAll(reader));

            assertThat(queueFiles()).containsExactly("20250301-100002T.cq4");

            time.advanceMillis(1000);
            append(outbox, 6, 8);
            assertThat(readAll(reader)).extracting(OutboxEntry::topic).containsExactly(topics(6, 8));
        }
        outbox.close();
        outbox = open();

        try (OutboxReader reader = outbox.openReader(READER)) {
            assertThat(outbox.stats().backlogEntries()).isEqualTo(2);
            assertThat(readAll(reader)).extracting(OutboxEntry::topic).containsExactly(topics(6, 8));
        }
    }

    private Outbox open() {
        return Outbox.open("dest", dir, TestRollCycles.TEST_SECONDLY, time);
    }

    private List<String> queueFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".cq4")).sorted().toList();
        }
    }
}
