package io.tidegate.outbox;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads one outbox from its committed position. The position moves only by {@link #commit}, which
 * a forwarder calls after the destination accepted everything up to that entry; after a restart
 * reading resumes just past the last committed entry. Thread-confined to its forwarder.
 */
public final class OutboxReader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutboxReader.class);
    /** Where damaged entries' bytes go, inside the queue's directory. */
    public static final String CORRUPT_DIR = "corrupt";

    private final Outbox outbox;
    private final String name;
    private final ExcerptTailer tailer;
    private final OutboxStats stats;
    private long committedIndex;
    /** True until the first entry past the committed position is read: that one is the oldest. */
    private boolean unread = true;
    private long corruptSkipped;

    OutboxReader(Outbox outbox, String name, ExcerptTailer tailer, OutboxStats stats, long committedIndex) {
        this.outbox = outbox;
        this.name = name;
        this.tailer = tailer;
        this.stats = stats;
        this.committedIndex = committedIndex;
        rewind();
    }

    /**
     * Next entry past what was read, or {@code null} when the reader is at the end. A damaged entry
     * (one that cannot be decoded) is skipped: its bytes are kept in {@code corrupt/<index>.entry}
     * beside the queue files, it leaves the backlog, and {@link #corruptSkipped()} counts it. An
     * entry of an unknown format version is not skipped: {@link UnsupportedEntryFormatException}.
     */
    public OutboxEntry next() {
        while (true) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return null;
                }
                Bytes<?> bytes = dc.wire().bytes();
                long start = bytes.readPosition();
                long size = bytes.readRemaining();
                OutboxEntry entry;
                try {
                    entry = OutboxEntryCodec.read(bytes, dc.index());
                } catch (UnsupportedEntryFormatException e) {
                    throw e;
                } catch (RuntimeException e) {
                    byte[] raw = new byte[(int) size];
                    bytes.readPosition(start);
                    bytes.read(raw);
                    quarantine(dc.index(), raw, e);
                    continue;
                }
                if (unread) {
                    stats.oldestIngestMillis(entry.ingestTimeMillis());
                    unread = false;
                }
                return entry;
            }
        }
    }

    /** Damaged entries skipped by this reader so far. */
    public long corruptSkipped() {
        return corruptSkipped;
    }

    private void quarantine(long index, byte[] raw, RuntimeException cause) {
        corruptSkipped++;
        if (name == null) {
            return; // a browser (CLI) only skips it
        }
        stats.committed(1, raw.length);
        Path file = outbox.directory().resolve(CORRUPT_DIR).resolve(Long.toHexString(index) + ".entry");
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, raw);
        } catch (IOException e) {
            log.warn("outbox {}: cannot keep the damaged entry's bytes in {}", outbox.name(), file, e);
        }
        log.error("outbox {}: entry {} cannot be decoded ({}); skipped, its bytes kept in {}", outbox.name(),
                Long.toHexString(index), cause.toString(), file);
    }

    /**
     * Makes {@code entry}, the last one {@link #next()} returned, the next one again: for a caller
     * that found it does not fit the batch it is filling.
     */
    public void putBack(OutboxEntry entry) {
        if (!tailer.moveToIndex(entry.index())) {
            throw new IllegalStateException("outbox " + outbox.name() + ": entry "
                    + Long.toHexString(entry.index()) + " cannot be read again");
        }
    }

    /**
     * Marks everything up to and including {@code index} as delivered: persists the position and
     * deletes queue files that every reader has passed.
     *
     * @param entries how many entries this commit covers
     * @param bytes   their encoded size ({@link OutboxEntry#encodedBytes()} summed)
     */
    public void commit(long index, long entries, long bytes) {
        if (name == null) {
            throw new IllegalStateException("a browsing reader never commits");
        }
        outbox.storePosition(name, index);
        committedIndex = index;
        stats.committed(entries, bytes);
        unread = true;
        outbox.deletePassedFiles(index);
    }

    /** Goes back to just after the committed position, forgetting what was read since. */
    public void rewind() {
        unread = true;
        if (committedIndex == Outbox.NO_POSITION) {
            tailer.toStart();
            return;
        }
        if (tailer.moveToIndex(committedIndex)) {
            // Skip the committed entry itself: the position names the last entry delivered.
            try (DocumentContext skipped = tailer.readingDocument()) {
                assert !skipped.isPresent() || skipped.index() == committedIndex;
            }
        } else {
            // The committed entry's file is gone (deleted once passed): everything left is newer.
            tailer.toStart();
        }
    }

    public long committedIndex() {
        return committedIndex;
    }

    /**
     * Seeds the backlog counters with what lies past the committed position (once, at open). Only
     * entries that were in the queue when it was opened count: the appender counted every later one.
     */
    void seedBacklog() {
        long seedUpTo = outbox.lastIndexAtOpen();
        long entries = 0;
        long bytes = 0;
        long oldest = -1;
        while (true) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    break;
                }
                Bytes<?> b = dc.wire().bytes();
                long size = b.readRemaining();
                if (oldest < 0) {
                    oldest = OutboxEntryCodec.readIngestTime(b);
                }
                if (dc.index() > seedUpTo) {
                    break;
                }
                bytes += size;
                entries++;
            }
        }
        rewind();
        stats.seeded(entries, bytes);
        stats.oldestIngestMillis(oldest);
    }

    @Override
    public void close() {
        tailer.close();
    }
}
