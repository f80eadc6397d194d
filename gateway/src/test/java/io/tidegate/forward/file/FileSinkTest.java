package io.tidegate.forward.file;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidegate.outbox.MessageProperties;
import io.tidegate.outbox.OutboxEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static io.tidegate.forward.file.JsonLineEncoderTest.parseLines;
import static org.assertj.core.api.Assertions.assertThat;

class FileSinkTest {

    private static final long HOUR_MS = 3_600_000;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2024-06-01T12:00:00Z"));

    @Test
    void writesOneJsonLinePerEntryAndTheFileIsCompleteWhenWriteReturns() throws IOException {
        try (FileSink sink = new FileSink(dir, 1 << 20, HOUR_MS, clock)) {
            sink.write(batch(0, 3));

            Path file = sink.currentFile();
            assertThat(file.getFileName().toString()).isEqualTo("tidegate-20240601T120000.000Z.ndjson");
            assertThat(topicsIn(file)).containsExactly("t/0", "t/1", "t/2");

            sink.write(batch(3, 5));

            assertThat(sink.currentFile()).isEqualTo(file);
            List<JsonNode> lines = parseLines(Files.readString(file));
            assertThat(lines).extracting(l -> l.get("topic").asText()).containsExactly("t/0", "t/1", "t/2", "t/3",
                    "t/4");
            assertThat(lines.get(3).get("payload").get("n").asInt()).isEqualTo(3);
            assertThat(lines.get(3).get("id").asText()).isEqualTo(new UUID(0, 3).toString());
        }
        assertThat(sink(dir).describe()).isEqualTo("file:" + dir);
    }

    @Test
    void rollsBeforeABatchThatWouldPassTheSizeLimit() throws IOException {
        int lineBytes = lineBytes();
        try (FileSink sink = new FileSink(dir, 2L * lineBytes, HOUR_MS, clock)) {
            sink.write(batch(0, 1));
            sink.write(batch(1, 2)); // exactly at the limit: same file
            sink.write(batch(2, 3)); // would pass it: new file
            sink.write(batch(3, 6)); // larger than the limit on its own: a file of its own
            sink.write(batch(6, 7));
        }

        List<Path> files = files();
        assertThat(files).hasSize(4);
        assertThat(files).map(this::topicsIn).containsExactly(List.of("t/0", "t/1"), List.of("t/2"),
                List.of("t/3", "t/4", "t/5"), List.of("t/6"));
    }

    @Test
    void fileNamesSortInWriteOrderWhenRollingWithinOneMillisecond() throws IOException {
        try (FileSink sink = new FileSink(dir, 1, HOUR_MS, clock)) {
            for (int i = 0; i < 12; i++) {
                sink.write(batch(i, i + 1));
            }
        }

        assertThat(files()).hasSize(12);
        assertThat(files().stream().flatMap(f -> topicsIn(f).stream()).toList()).containsExactlyElementsOf(topics(0, 12));
    }

    @Test
    void rollsWhenTheIntervalHasPassed() throws IOException {
        try (FileSink sink = new FileSink(dir, 1 << 20, 60_000, clock)) {
            sink.write(batch(0, 1));
            Path first = sink.currentFile();
            clock.advance(59_999);
            sink.write(batch(1, 2));
            assertThat(sink.currentFile()).isEqualTo(first);

            clock.advance(1);
            sink.write(batch(2, 3));

            assertThat(sink.currentFile()).isNotEqualTo(first);
            assertThat(sink.currentFile().getFileName().toString())
                    .isEqualTo("tidegate-20240601T120100.000Z.ndjson");
        }
        assertThat(files()).map(this::topicsIn).containsExactly(List.of("t/0", "t/1"), List.of("t/2"));
    }

    @Test
    void aRestartedSinkNeverWritesIntoAnOldFile() throws IOException {
        try (FileSink sink = sink(dir)) {
            sink.write(batch(0, 2));
        }
        try (FileSink sink = sink(dir)) { // same clock reading: the name is taken
            sink.write(batch(2, 3));
        }

        assertThat(files()).map(this::topicsIn).containsExactly(List.of("t/0", "t/1"), List.of("t/2"));
    }

    @Test
    void createsItsDirectory() throws IOException {
        Path nested = dir.resolve("a").resolve("b");
        try (FileSink sink = sink(nested)) {
            sink.write(batch(0, 1));
            assertThat(sink.currentFile().getParent()).isEqualTo(nested);
        }
    }

    @Test
    void everyLineParsesBackAfterManyWrites() throws IOException {
        try (FileSink sink = new FileSink(dir, 4096, HOUR_MS, clock)) {
            for (int i = 0; i < 200; i += 4) {
                sink.write(batch(i, i + 4));
                clock.advance(7);
            }
        }

        List<String> topics = new ArrayList<>();
        for (Path file : files()) {
            assertThat(Files.size(file)).isLessThanOrEqualTo(4096);
            topics.addAll(topicsIn(file));
        }
        assertThat(topics).containsExactlyElementsOf(topics(0, 200));
    }

    // ---- helpers ----

    private FileSink sink(Path directory) throws IOException {
        return new FileSink(directory, 1 << 20, HOUR_MS, clock);
    }

    private static List<OutboxEntry> batch(int from, int to) {
        List<OutboxEntry> batch = new ArrayList<>();
        for (int i = from; i < to; i++) {
            byte[] payload = ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            batch.add(new OutboxEntry(i, new UUID(0, i), 1_717_243_200_100L + i, "client", "t/" + i, 1, false,
                    MessageProperties.NONE, payload, 0));
        }
        return batch;
    }

    /** Bytes of one encoded line; the lines of {@link #batch} for 0..9 all have this length. */
    private static int lineBytes() {
        return new JsonLineEncoder().encode(batch(0, 1)).remaining();
    }

    private static List<String> topics(int from, int to) {
        List<String> topics = new ArrayList<>();
        for (int i = from; i < to; i++) {
            topics.add("t/" + i);
        }
        return topics;
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".ndjson")).sorted().toList();
        }
    }

    private List<String> topicsIn(Path file) {
        try {
            return parseLines(Files.readString(file)).stream().map(l -> l.get("topic").asText()).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {

        private volatile long millis;

        MutableClock(Instant start) {
            this.millis = start.toEpochMilli();
        }

        void advance(long ms) {
            millis += ms;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
