package io.tidegate.forward.file;

import io.tidegate.forward.Destination;
import io.tidegate.outbox.OutboxEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The local file destination: newline-delimited JSON, one message a line (see
 * {@link JsonLineEncoder}), in files named {@code tidegate-<UTC time>.ndjson} rolled by size and
 * age. A batch is forced to disk before {@link #write} returns, so the outbox position moves only
 * past lines that survive a power loss.
 */
public final class FileSink implements Destination {

    private static final Logger log = LoggerFactory.getLogger(FileSink.class);
    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path directory;
    private final long maxFileBytes;
    private final long rollIntervalMillis;
    private final Clock clock;
    private final JsonLineEncoder encoder = new JsonLineEncoder();

    private FileChannel channel;
    private Path currentFile;
    private long currentBytes;
    private long openedAtMillis;

    public FileSink(Path directory, long maxFileBytes, long rollIntervalMillis, Clock clock) throws IOException {
        this.directory = directory;
        this.maxFileBytes = maxFileBytes;
        this.rollIntervalMillis = rollIntervalMillis;
        this.clock = clock;
        Files.createDirectories(directory);
    }

    @Override
    public void write(List<OutboxEntry> batch) throws IOException {
        ByteBuffer lines = encoder.encode(batch);
        if (channel == null || shouldRoll(lines.remaining())) {
            roll();
        }
        long before = channel.position();
        try {
            while (lines.hasRemaining()) {
                channel.write(lines);
            }
            channel.force(false);
        } catch (IOException e) {
            // Cut a partial batch off so the retry does not leave a torn line behind it.
            truncateQuietly(before);
            throw e;
        }
        currentBytes = channel.position();
    }

    private boolean shouldRoll(int incoming) {
        return (currentBytes > 0 && currentBytes + incoming > maxFileBytes)
                || clock.millis() - openedAtMillis >= rollIntervalMillis;
    }

    private void roll() throws IOException {
        closeCurrent();
        long now = clock.millis();
        Path file = directory.resolve("tidegate-" + FILE_TIME.format(Instant.ofEpochMilli(now)) + ".ndjson");
        for (int n = 1; Files.exists(file); n++) {
            file = directory.resolve("tidegate-" + FILE_TIME.format(Instant.ofEpochMilli(now)) + "-" + n + ".ndjson");
        }
        channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        currentFile = file;
        currentBytes = 0;
        openedAtMillis = now;
        forceDirectory();
        log.debug("file sink writes {}", file);
    }

    /** Makes the new file's directory entry durable too, not only its contents. */
    private void forceDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("cannot fsync directory {}", directory, e);
        }
    }

    private void truncateQuietly(long size) {
        try {
            channel.truncate(size);
            channel.position(size);
        } catch (IOException e) {
            log.warn("cannot truncate {} after a failed write", currentFile, e);
        }
    }

    public Path currentFile() {
        return currentFile;
    }

    @Override
    public String describe() {
        return "file:" + directory;
    }

    private void closeCurrent() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    @Override
    public void close() throws IOException {
        closeCurrent();
    }
}
