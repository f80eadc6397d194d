package io.tidegate.outbox;

import io.tidegate.config.OutboxConfig;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The durable queue of one destination: a Chronicle Queue under {@code <dataDir>/outbox/<name>},
 * rolled by time. Appended by the pipeline, read by the destination's forwarder, which stores its
 * committed position in the queue's own metadata so it survives restarts.
 */
public final class Outbox implements AutoCloseable {

    /** Position value meaning "nothing committed yet". */
    public static final long NO_POSITION = Long.MIN_VALUE;

    private static final Logger log = LoggerFactory.getLogger(Outbox.class);
    private static final String POSITION_KEY_PREFIX = "tidegate.committed.";
    private static final String QUEUE_FILE_SUFFIX = ".cq4";

    private final String name;
    private final Path directory;
    private final SingleChronicleQueue queue;
    private final boolean readOnly;
    private final OutboxStats stats = new OutboxStats();
    private final AppendFrontier frontier = new AppendFrontier();
    private final DateTimeFormatter cycleFileFormat;
    /**
     * The last index when the queue was opened: entries up to it are counted into the backlog by the
     * reader's scan at open, later ones by the appender as they are appended.
     */
    private final long lastIndexAtOpen;
    /** Files of cycles below this were deleted already; saves listing the directory on every commit. */
    private volatile int deletedBelowCycle = Integer.MIN_VALUE;

    private Outbox(String name, Path directory, SingleChronicleQueue queue, boolean readOnly) {
        this.name = name;
        this.readOnly = readOnly;
        this.directory = directory;
        this.queue = queue;
        this.lastIndexAtOpen = queue.lastIndex();
        this.cycleFileFormat = DateTimeFormatter.ofPattern(queue.rollCycle().format()).withZone(ZoneOffset.UTC);
    }

    /** Opens (creating if needed) the outbox of {@code name} in {@code directory}. */
    public static Outbox open(String name, Path directory, OutboxConfig.RollCycle rollCycle) {
        return open(name, directory, toChronicle(rollCycle), SystemTimeProvider.INSTANCE, SyncMode.ASYNC);
    }

    /**
     * {@link #open(String, Path, OutboxConfig.RollCycle)} for the pipeline's outboxes: with a sync
     * policy, {@link OutboxAppender#sync()} waits until the pages are on disk (msync MS_SYNC) rather
     * than only scheduling the write-back.
     */
    public static Outbox open(String name, Path directory, OutboxConfig config) {
        return open(name, directory, toChronicle(config.rollCycle()), SystemTimeProvider.INSTANCE,
                config.sync() == OutboxConfig.SyncPolicy.NONE ? SyncMode.ASYNC : SyncMode.SYNC);
    }

    static Outbox open(String name, Path directory, RollCycle rollCycle, TimeProvider timeProvider) {
        return open(name, directory, rollCycle, timeProvider, SyncMode.ASYNC);
    }

    /**
     * Opens with any Chronicle roll cycle and clock; tests use a short cycle and a
     * {@code SetTimeProvider} to roll files without waiting.
     */
    static Outbox open(String name, Path directory, RollCycle rollCycle, TimeProvider timeProvider, SyncMode sync) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create outbox directory " + directory, e);
        }
        SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(directory)
                .rollCycle(rollCycle)
                .timeProvider(timeProvider)
                .syncMode(sync)
                .build();
        return new Outbox(name, directory, queue, false);
    }

    /** Opens an existing outbox read-only (CLI inspection), reading its roll cycle from disk. */
    public static Outbox openExisting(String name, Path directory) {
        SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(directory).readOnly(true).build();
        return new Outbox(name, directory, queue, true);
    }

    static RollCycle toChronicle(OutboxConfig.RollCycle rollCycle) {
        return switch (rollCycle) {
            case FIVE_MINUTELY -> RollCycles.FIVE_MINUTELY;
            case TEN_MINUTELY -> RollCycles.TEN_MINUTELY;
            case HALF_HOURLY -> RollCycles.HALF_HOURLY;
            case HOURLY -> RollCycles.FAST_HOURLY;
            case DAILY -> RollCycles.FAST_DAILY;
        };
    }

    public String name() {
        return name;
    }

    public Path directory() {
        return directory;
    }

    public OutboxStats stats() {
        return stats;
    }

    /** A new appender for the calling thread. */
    public OutboxAppender newAppender() {
        return new OutboxAppender(queue.createAppender(), stats, frontier);
    }

    /**
     * Opens the reader called {@code readerName} at its committed position and seeds the backlog
     * counters from what lies beyond it. One reader per outbox for now: the destination's forwarder.
     */
    public OutboxReader openReader(String readerName) {
        long committed = storedPosition(readerName);
        OutboxReader reader = new OutboxReader(this, readerName, queue.createTailer(), stats, committed);
        reader.seedBacklog();
        return reader;
    }

    /** A reader just past {@code position} (from the start for {@link #NO_POSITION}) that never commits. */
    public OutboxReader openBrowserAt(long position) {
        return new OutboxReader(this, null, queue.createTailer(), new OutboxStats(), position);
    }

    public long storedPosition(String readerName) {
        long value;
        try {
            value = queue.tableStoreGet(POSITION_KEY_PREFIX + readerName);
        } catch (IllegalStateException e) {
            // A read-only queue (CLI inspection) cannot create the key of a reader that never committed.
            if (!readOnly) {
                throw e;
            }
            return NO_POSITION;
        }
        return value == Long.MIN_VALUE ? NO_POSITION : value;
    }

    void storePosition(String readerName, long index) {
        if (readerName != null) {
            queue.tableStorePut(POSITION_KEY_PREFIX + readerName, index);
        }
    }

    /** The last index before this process appended anything (negative for an empty queue). */
    long lastIndexAtOpen() {
        return lastIndexAtOpen;
    }

    /** Index of the last entry appended, or {@link #NO_POSITION} for an empty outbox. */
    public long lastIndex() {
        long last = queue.lastIndex();
        return last < 0 ? NO_POSITION : last;
    }

    /** Counts the entries after {@code position} (all of them for {@link #NO_POSITION}). */
    public long countAfter(long position) {
        long last = queue.lastIndex();
        if (last < 0) {
            return 0;
        }
        if (position == NO_POSITION || position < queue.firstIndex()) {
            return queue.countExcerpts(queue.firstIndex(), last) + 1;
        }
        return position >= last ? 0 : queue.countExcerpts(position, last);
    }

    /**
     * Scans what lies after {@code position}: entries, their encoded bytes and the oldest ingest
     * time. Reads the whole tail, so it is for inspection (the CLI), not for metrics.
     */
    public BacklogSummary summarizeAfter(long position) {
        long entries = 0;
        long bytes = 0;
        long oldest = -1;
        try (OutboxReader reader = openBrowserAt(position)) {
            for (OutboxEntry entry = reader.next(); entry != null; entry = reader.next()) {
                if (oldest < 0) {
                    oldest = entry.ingestTimeMillis();
                }
                entries++;
                bytes += entry.encodedBytes();
            }
        }
        return new BacklogSummary(entries, bytes, oldest);
    }

    /**
     * What a reader has not yet delivered.
     *
     * @param entries            entries after its position
     * @param bytes              their encoded size
     * @param oldestIngestMillis ingest time of the first of them, or -1 when there are none
     */
    public record BacklogSummary(long entries, long bytes, long oldestIngestMillis) {
    }

    /**
     * Deletes the queue files of cycles before the one holding {@code committedIndex}: every reader
     * is past them. The appender only ever writes the current cycle, which is never older.
     */
    void deletePassedFiles(long committedIndex) {
        int committedCycle = queue.rollCycle().toCycle(committedIndex);
        if (committedCycle <= deletedBelowCycle) {
            return;
        }
        String keepFrom = cycleFileName(committedCycle);
        boolean deleted = false;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + QUEUE_FILE_SUFFIX)) {
            for (Path file : files) {
                if (file.getFileName().toString().compareTo(keepFrom) < 0) {
                    Files.deleteIfExists(file);
                    deleted = true;
                    log.debug("outbox {}: deleted passed file {}", name, file.getFileName());
                }
            }
        } catch (IOException e) {
            log.warn("outbox {}: cannot delete passed files: {}", name, e.toString());
            return;
        }
        if (deleted) {
            queue.refreshDirectoryListing();
        }
        deletedBelowCycle = committedCycle;
    }

    AppendFrontier frontier() {
        return frontier;
    }

    /** The queue file of {@code cycle}, which exists once an appender has written to that cycle. */
    Path cycleFile(int cycle) {
        return directory.resolve(cycleFileName(cycle));
    }

    private String cycleFileName(int cycle) {
        long millis = (long) cycle * queue.rollCycle().lengthInMillis() + queue.epoch();
        return cycleFileFormat.format(Instant.ofEpochMilli(millis)) + QUEUE_FILE_SUFFIX;
    }

    @Override
    public void close() {
        queue.close();
    }
}
