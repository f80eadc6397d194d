package io.tidegate.outbox;

import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The read-ahead of outbox files, on real Chronicle queues; one pass at a time through {@code touchAll}. */
class OutboxPretoucherTest {

    private static final long AHEAD = 1024 * 1024;

    @TempDir
    Path dir;

    private final SetTimeProvider time = new SetTimeProvider(Instant.parse("2025-03-01T10:00:00Z"));
    private Outbox outbox;

    @AfterEach
    void closeOutbox() {
        if (outbox != null) {
            outbox.close();
        }
    }

    @Test
    void theFrontierIsTheFileOffsetJustPastTheLastEntry() throws IOException {
        outbox = open();
        byte[] payload = "the last payload".getBytes(StandardCharsets.UTF_8);
        OutboxTest.append(outbox, 0, 50);
        try (OutboxAppender appender = outbox.newAppender()) {
            appender.append(1, 2, 3, "client", "topic", 1, false, MessageProperties.NONE, payload, payload.length);
        }
        AppendFrontier frontier = outbox.frontier();

        // The payload is the entry's last field, so it ends exactly at the frontier.
        ByteBuffer read = ByteBuffer.allocate(payload.length);
        try (FileChannel file = FileChannel.open(outbox.cycleFile(frontier.cycle()), StandardOpenOption.READ)) {
            file.read(read, frontier.position() - payload.length);
        }
        assertThat(new String(read.array(), StandardCharsets.UTF_8)).isEqualTo("the last payload");
    }

    @Test
    void touchesNothingBeforeTheFirstAppend() {
        outbox = open();
        OutboxPretoucher pretoucher = new OutboxPretoucher(List.of(outbox), AHEAD);

        pretoucher.touchAll();

        assertThat(pretoucher.touchedBytes()).isZero();
    }

    @Test
    void touchesAheadOfTheAppenderAndThenOnlyWhatItMovedOn() throws IOException {
        outbox = open();
        OutboxTest.append(outbox, 0, 10);
        long fileSize = Files.size(outbox.cycleFile(outbox.frontier().cycle()));
        long position = outbox.frontier().position();
        long end = Math.min(position + AHEAD, fileSize);
        assertThat(end).as("Chronicle sizes the file past the appender").isGreaterThan(position);
        OutboxPretoucher pretoucher = new OutboxPretoucher(List.of(outbox), AHEAD);

        pretoucher.touchAll();
        assertThat(pretoucher.touchedBytes()).as("from the appender's page on").isEqualTo(end - (position & -4096));

        pretoucher.touchAll();
        assertThat(pretoucher.touchedBytes()).as("nothing new to touch").isEqualTo(end - (position & -4096));

        OutboxTest.append(outbox, 10, 20);
        long newEnd = Math.min(outbox.frontier().position() + AHEAD, fileSize);
        pretoucher.touchAll();
        assertThat(pretoucher.touchedBytes()).isEqualTo(newEnd - (position & -4096));
    }

    @Test
    void aDistanceLargerThanOneMappingIsCovered() throws IOException {
        outbox = open();
        OutboxTest.append(outbox, 0, 2);
        long fileSize = Files.size(outbox.cycleFile(outbox.frontier().cycle()));
        long position = outbox.frontier().position();
        OutboxPretoucher pretoucher = new OutboxPretoucher(List.of(outbox), 1L << 30);

        pretoucher.touchAll();

        assertThat(pretoucher.touchedBytes()).isEqualTo(fileSize - (position & -4096));
    }

    @Test
    void followsTheAppenderIntoTheNextCyclesFile() {
        outbox = open();
        OutboxTest.append(outbox, 0, 2);
        OutboxPretoucher pretoucher = new OutboxPretoucher(List.of(outbox), AHEAD);
        pretoucher.touchAll();
        long first = pretoucher.touchedBytes();
        int firstCycle = outbox.frontier().cycle();

        time.advanceMillis(1000);
        OutboxTest.append(outbox, 2, 4);
        pretoucher.touchAll();

        assertThat(outbox.frontier().cycle()).isEqualTo(firstCycle + 1);
        assertThat(pretoucher.touchedBytes() - first).as("read ahead in the new file").isPositive();
    }

    @Test
    void aDeletedFileIsSkippedNotFatal() throws IOException {
        outbox = open();
        OutboxTest.append(outbox, 0, 2);
        Files.delete(outbox.cycleFile(outbox.frontier().cycle()));
        OutboxPretoucher pretoucher = new OutboxPretoucher(List.of(outbox), AHEAD);

        pretoucher.touchAll();

        assertThat(pretoucher.touchedBytes()).isZero();
    }

    @Test
    void theThreadReadsAheadUntilClosed() throws InterruptedException {
        outbox = open();
        OutboxTest.append(outbox, 0, 2);
        OutboxPretoucher pretoucher = OutboxPretoucher.start(List.of(outbox), AHEAD);
        try {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (pretoucher.touchedBytes() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(pretoucher.touchedBytes()).isPositive();
        } finally {
            pretoucher.close();
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("tidegate-pretouch"));
    }

    @Test
    void refusesANonPositiveDistance() {
        assertThatThrownBy(() -> new OutboxPretoucher(List.of(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private Outbox open() {
        return Outbox.open("dest", dir, TestRollCycles.TEST_SECONDLY, time);
    }
}
