package io.tidegate.outbox;

import io.tidegate.config.OutboxConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class OutboxTest {

    private static final String READER = "forwarder";

    @TempDir
    Path dir;

    private Outbox outbox;

    @AfterEach
    void closeOutbox() {
        if (outbox != null) {
            outbox.close();
        }
    }

    @Test
    void readsEntriesInAppendOrder() {
        outbox = open();
        List<Long> indices = append(outbox, 0, 20);

        try (OutboxReader reader = outbox.openReader(READER)) {
            List<OutboxEntry> read = readAll(reader);

            assertThat(read).extracting(OutboxEntry::topic).containsExactly(topics(0, 20));
            assertThat(read).extracting(OutboxEntry::index).containsExactlyElementsOf(indices);
            assertThat(read).extracting(OutboxEntry::messageId).containsExactlyElementsOf(ids(0, 20));
            assertThat(read.get(7).payload()).asString(StandardCharsets.UTF_8).isEqualTo("payload-7");
            assertThat(reader.next()).isNull();
        }
        assertThat(outbox.lastIndex()).isEqualTo(indices.get(19));
    }

    @Test
    void emptyOutbox() {
        outbox = open();

        assertThat(outbox.lastIndex()).isEqualTo(Outbox.NO_POSITION);
        assertThat(outbox.countAfter(Outbox.NO_POSITION)).isZero();
        assertThat(outbox.storedPosition(READER)).isEqualTo(Outbox.NO_POSITION);
        try (OutboxReader reader = outbox.openReader(READER)) {
            assertThat(reader.next()).isNull();
            assertThat(reader.committedIndex()).isEqualTo(Outbox.NO_POSITION);
        }
    }

    @Test
    void readerSeesEntriesAppendedAfterItReachedTheEnd() {
        outbox = open();
        try (OutboxReader reader = outbox.openReader(READER)) {
            assertThat(reader.next()).isNull();
            append(outbox, 0, 2);

            assertThat(readAll(reader)).extracting(OutboxEntry::topic).containsExactly(topics(0, 2));
        }
    }

    @Test
    void readingResumesAfterTheCommittedEntryAfterReopen() {
        outbox = open();
        append(outbox, 0, 10);
        try (OutboxReader reader = outbox.openReader(READER)) {
            List<OutboxEntry> firstFour = read(reader, 4);
            commit(reader, firstFour);
            read(reader, 3); // read but not committed: must be read again after a restart
        }
        outbox.close();

        outbox = open();
        try (OutboxReader reader = outbox.openReader(READER)) {
            assertThat(readAll(reader)).extracting(OutboxEntry::topic).containsExactly(topics(4, 10));
        }
    }

    @Test
    void nothingCommittedReadsFromTheStartAfterReopen() {
        outbox = open();
        append(outbox, 0, 5);
        try (OutboxReader reader = outbox.openReader(READER)) {
            read(reader, 5);
        }
        outbox.close();

        outbox = open();
        assertThat(outbox.storedPosition(READER)).isEqualTo(Outbox.NO_POSITION);
        try (OutboxReader reader = outbox.openReader(READER)) {
            assertThat(readAll(reader)).extracting(OutboxEntry::topic).containsExactly(topics(0, 5));
        }
    }

    @Test
    void committingTheLastEntryLeavesNothingAfterReopen() {
        outbox = open();
        append(outbox, 0, 3);
        try (OutboxReader reader = outbox.openReader(READER)) {
            commit(reader, readAll(reader));
        }
        outbox.close();

        outbox = open();
        try (OutboxReader reader = outbox.openReader(READER)) {
            assertThat(reader.next()).isNull();
            append(outbox, 3, 4);
            assertThat(readAll(reader)).extracting(OutboxEntry::topic).containsExactly(topics(3, 4));
        }
    }

    @Test
    void rewindGoesBackToJustAfterTheCommittedEntry() {
        outbox = open();
        append(outbox, 0, 6);
        try (OutboxReader reader = outbox.openReader(READER)) {
            commit(reader, read(reader, 2));
            read(reader, 3);

            reader.rewind();

            assertThat(readAll(reader)).extracting(OutboxEntry::topic).containsExactly(topics(2, 6));
        }
    }

    @Test
    void anEntryPutBackIsReadAgainAndCountsAsTheOldestAfterTheCommit() {
        outbox = open();
        append(outbox, 0, 4);
        try (OutboxReader reader = outbox.openReader(READER)) {
            List<OutboxEntry> batch = read(reader, 2);
            OutboxEntry tooBig = reader.next();

            reader.putBack(tooBig);
            commit(reader, batch);

            OutboxEntry again = reader.next();
            assertThat(again.index()).isEqualTo(tooBig.index());
            assertThat(again.topic()).isEqualTo("topic/2");
            assertThat(outbox.stats().oldestAgeSeconds(BASE_MILLIS + 2 + 1000)).isEqualTo(1.0);
            assertThat(reader.next().topic()).isEqualTo("topic/3");
        }
    }

    @Test
    void backlogCountsAppendsAndCommits() {
        outbox = open();
        OutboxStats stats = outbox.stats();
        append(outbox, 0, 10);

        assertThat(stats.appendedEntries()).isEqualTo(10);
        assertThat(stats.backlogEntries()).isEqualTo(10);
        long allBytes = stats.backlogBytes();
        assertThat(allBytes).isPositive();

        try (OutboxReader reader = outbox.openReader(READER)) {
            List<OutboxEntry> first = read(reader, 4);
            commit(reader, first);

            assertThat(stats.backlogEntries()).isEqualTo(6);
            assertThat(stats.backlogBytes()).isEqualTo(allBytes - encodedBytes(first));

            commit(reader, readAll(reader));

            assertThat(stats.backlogEntries()).isZero();
            assertThat(stats.backlogBytes()).isZero();
            assertThat(stats.oldestAgeSeconds(System.currentTimeMillis())).isZero();
        }
    }

    @Test
    void backlogIsSeededFromTheUncommittedTailAfterReopen() {
        outbox = open();
        append(outbox, 0, 10);
        long allBytes = outbox.stats().backlogBytes();
        long committedBytes;
        try (OutboxReader reader = outbox.openReader(READER)) {
            List<OutboxEntry> first = read(reader, 3);
            committedBytes = encodedBytes(first);
            commit(reader, first);
        }
        outbox.close();

        outbox = open();
        assertThat(outbox.stats().backlogEntries()).as("nothing is known before the reader opens").isZero();
        try (OutboxReader reader = outbox.openReader(READER)) {
            OutboxStats stats = outbox.stats();
            assertThat(stats.backlogEntries()).isEqualTo(7);
            assertThat(stats.backlogBytes()).isEqualTo(allBytes - committedBytes);
            // the oldest uncommitted entry is entry 3, ingested at BASE_MILLIS + 3
            assertThat(stats.oldestAgeSeconds(BASE_MILLIS + 3 + 2_000)).isEqualTo(2.0);

            commit(reader, readAll(reader));
            assertThat(stats.backlogEntries()).isZero();
            assertThat(stats.backlogBytes()).isZero();
        }
    }

    @Test
    void entriesAppendedBeforeTheReaderOpensAreCountedOnce() {
        outbox = open();
        append(outbox, 0, 4);
        outbox.close();

        outbox = open();
        append(outbox, 4, 7); // this run's appends, before the forwarder opened its reader

        try (OutboxReader reader = outbox.openReader(READER)) {
            assertThat(outbox.stats().backlogEntries()).isEqualTo(7);

            commit(reader, readAll(reader));

            assertThat(outbox.stats().backlogEntries()).isZero();
            assertThat(outbox.stats().backlogBytes()).isZero();
        }
    }

    @Test
    void oldestAgeFollowsTheCommits() {
        outbox = open();
        append(outbox, 0, 5);
        try (OutboxReader reader = outbox.openReader(READER)) {
            OutboxStats stats = outbox.stats();
            assertThat(stats.oldestAgeSeconds(BASE_MILLIS + 1000)).isEqualTo(1.0);

            commit(reader, read(reader, 2));
            read(reader, 1);

            assertThat(stats.oldestAgeSeconds(BASE_MILLIS + 1000)).isEqualTo(0.998);
        }
    }

    @Test
    void countAfter() {
        outbox = open();
        List<Long> indices = append(outbox, 0, 8);

        assertThat(outbox.countAfter(Outbox.NO_POSITION)).isEqualTo(8);
        assertThat(outbox.countAfter(indices.get(0))).isEqualTo(7);
        assertThat(outbox.countAfter(indices.get(4))).isEqualTo(3);
        assertThat(outbox.countAfter(indices.get(7))).isZero();
    }

    @Test
    void readOnlyInspectionSeesTheCommittedPosition() {
        outbox = open();
        List<Long> indices = append(outbox, 0, 6);
        try (OutboxReader reader = outbox.openReader(READER)) {
            commit(reader, read(reader, 2));
        }
        outbox.close();
        outbox = null;

        try (Outbox inspected = Outbox.openExisting("dest", dir)) {
            long committed = inspected.storedPosition(READER);
            assertThat(committed).isEqualTo(indices.get(1));
            assertThat(inspected.countAfter(committed)).isEqualTo(4);
            Outbox.BacklogSummary backlog = inspected.summarizeAfter(committed);
            assertThat(backlog.entries()).isEqualTo(4);
            assertThat(backlog.bytes()).isPositive();
            assertThat(backlog.oldestIngestMillis()).isPositive();
            try (OutboxReader browser = inspected.openBrowserAt(committed)) {
                assertThat(browser.next().topic()).isEqualTo("topic/2");
            }
            try (OutboxReader browser = inspected.openBrowserAt(Outbox.NO_POSITION)) {
                assertThat(browser.next().topic()).isEqualTo("topic/0");
            }
        }
    }

    @Test
    void positionsOfDifferentReadersAreIndependent() {
        outbox = open();
        List<Long> indices = append(outbox, 0, 3);
        outbox.storePosition("other", indices.get(2));

        assertThat(outbox.storedPosition("other")).isEqualTo(indices.get(2));
        assertThat(outbox.storedPosition(READER)).isEqualTo(Outbox.NO_POSITION);
    }

    // ---- helpers ----

    static final long BASE_MILLIS = 1_700_000_000_000L;

    private Outbox open() {
        return Outbox.open("dest", dir, OutboxConfig.RollCycle.DAILY);
    }

    /** Appends entries {@code from..to-1}: topic {@code topic/i}, payload {@code payload-i}, ingest BASE+i. */
    static List<Long> append(Outbox outbox, int from, int to) {
        List<Long> indices = new ArrayList<>();
        try (OutboxAppender appender = outbox.newAppender()) {
            for (int i = from; i < to; i++) {
                byte[] payload = ("payload-" + i).getBytes(StandardCharsets.UTF_8);
                UUID id = id(i);
                indices.add(appender.append(id.getMostSignificantBits(), id.getLeastSignificantBits(),
                        BASE_MILLIS + i, "client-" + i, "topic/" + i, 1, false, MessageProperties.NONE, payload,
                        payload.length));
            }
        }
        return indices;
    }

    static UUID id(int i) {
        return new UUID(0x0190_0000_0000_7000L + i, 0x8000_0000_0000_0000L + i);
    }

    static List<UUID> ids(int from, int to) {
        List<UUID> ids = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ids.add(id(i));
        }
        return ids;
    }

    static String[] topics(int from, int to) {
        String[] topics = new String[to - from];
        for (int i = from; i < to; i++) {
            topics[i - from] = "topic/" + i;
        }
        return topics;
    }

    static List<OutboxEntry> read(OutboxReader reader, int count) {
        List<OutboxEntry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            OutboxEntry entry = reader.next();
            assertThat(entry).as("entry %d of %d", i, count).isNotNull();
            entries.add(entry);
        }
        return entries;
    }

    static List<OutboxEntry> readAll(OutboxReader reader) {
        List<OutboxEntry> entries = new ArrayList<>();
        for (OutboxEntry entry = reader.next(); entry != null; entry = reader.next()) {
            entries.add(entry);
        }
        return entries;
    }

    static void commit(OutboxReader reader, List<OutboxEntry> entries) {
        reader.commit(entries.get(entries.size() - 1).index(), entries.size(), encodedBytes(entries));
    }

    static long encodedBytes(List<OutboxEntry> entries) {
        return entries.stream().mapToLong(OutboxEntry::encodedBytes).sum();
    }
}
