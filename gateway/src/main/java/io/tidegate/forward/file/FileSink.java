package io.tidegate.forward.file;

import io.tidegate.forward.Destination;
import io.tidegate.forward.WriteResult;
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
 * age; the names sort in the order the files were written. A batch is forced to disk before {@link #write} returns, so the outbox position moves only
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
    /** The time in the name of the last file opened; a new name never sorts before it. */
    private long lastNameMillis = Long.MIN_VALUE;

    public FileSink(Path directory, long maxFileBytes, long rollIntervalMillis, Clock clock) throws IOException {
        this.directory = directory;
        this.maxFileBytes = maxFileBytes;
        this.rollIntervalMillis = rollIntervalMillis;
        this.clock = clock;
        Files.createDirectories(directory);
    }

    @Override
    public WriteResult write(List<OutboxEntry> batch) throws IOException {
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
        return WriteResult.accepted(batch.size());
    }

    private boolean shouldRoll(int incoming) {
        return (currentBytes > 0 && currentBytes + incoming > maxFileBytes)
                || clock.millis() - openedAtMillis >= rollIntervalMillis;
    }

    private void roll() throws IOException {
        closeCurrent();
        long now = clock.millis();
        // Names sort in write order: when a name is taken (a second roll within one millisecond, or
        // a restart) the time in it moves on, where a suffix such as "-1" would sort first.
        long nameMillis = Math.max(now, lastNameMillis + 1);
        Path file = fileNamed(nameMillis);
        while (Files.exists(file)) {
            file = fileNamed(++nameMillis);
        }
        channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        lastNameMillis = nameMillis;
        currentFile = file;
        currentBytes = 0;
        openedAtMillis = now;
        forceDirectory();
        log.debug("file sink writes {}", file);
    }

    private Path fileNamed(long millis) {
        return directory.resolve("tidegate-" + FILE_TIME.format(Instant.ofEpochMilli(millis)) + ".ndjson");
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
