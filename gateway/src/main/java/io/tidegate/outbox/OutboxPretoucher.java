package io.tidegate.outbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Brings the pages of each outbox's current queue file into the page cache ahead of its appender,
 * on a thread of its own, so the ingest thread does not stall in page faults.
 *
 * <p>Why: the appender writes through a memory mapping of the file. Its first touch of a page that
 * is not cached is a major fault that reads the file, and for the not yet written tail of a
 * Chronicle file the kernel fills that with zeros, a whole read-ahead window at a time. On the
 * development machine ({@code read_ahead_kb} 8192) that was one 20–25 ms stall of the ingest
 * thread every ~8 MiB appended, which set the PUBACK p99 (perf: {@code filemap_fault ->
 * ext4_mpage_readpages -> zero_user_segments}). Reading the same range through a
 * {@link FileChannel} first moves that work here; the mapping shares the page cache, so the
 * appender's touch becomes a minor fault. Chronicle Queue's own pretoucher is not in its
 * open-source build ({@code ExcerptAppender.pretouch()} does nothing there).
 */
public final class OutboxPretoucher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutboxPretoucher.class);
    private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final int READ_BYTES = 256 * 1024;

    private final List<Target> targets;
    private final long aheadBytes;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(READ_BYTES);
    private final AtomicLong touchedBytes = new AtomicLong();
    private volatile boolean running;
    private Thread thread;

    /** A pretoucher that has not started its thread: {@link #touchAll()} makes one pass. */
    OutboxPretoucher(List<Outbox> outboxes, long aheadBytes) {
        if (aheadBytes <= 0) {
            throw new IllegalArgumentException("aheadBytes must be positive: " + aheadBytes);
        }
        this.targets = outboxes.stream().map(Target::new).toList();
        this.aheadBytes = aheadBytes;
    }

    /** Starts a thread that keeps {@code aheadBytes} of each outbox's file cached past its appender. */
    public static OutboxPretoucher start(List<Outbox> outboxes, long aheadBytes) {
        OutboxPretoucher pretoucher = new OutboxPretoucher(outboxes, aheadBytes);
        pretoucher.running = true;
        pretoucher.thread = new Thread(pretoucher::run, "tidegate-pretouch");
        pretoucher.thread.setDaemon(true);
        pretoucher.thread.start();
        return pretoucher;
    }

    /** Bytes read ahead of the appenders so far, over all outboxes. */
    public long touchedBytes() {
        return touchedBytes.get();
    }

    private void run() {
        while (running) {
            touchAll();
            LockSupport.parkNanos(PERIOD_NANOS);
        }
    }

    /** One pass over every outbox. */
    void touchAll() {
        for (Target target : targets) {
            touchedBytes.addAndGet(target.touch(buffer, aheadBytes));
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            LockSupport.unpark(thread);
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        targets.forEach(Target::closeFile);
    }

    /** One outbox: the file of the cycle its appender writes and how far it has been read. */
    private static final class Target {

        private final Outbox outbox;
        private int cycle = Integer.MIN_VALUE;
        private FileChannel file;
        private long touchedTo;
        /** The cycle whose file last failed, so a lasting failure is logged once, not every pass. */
        private int failedCycle = Integer.MIN_VALUE;

        Target(Outbox outbox) {
            this.outbox = outbox;
        }

        /** Reads from the appender's offset (or where the last pass stopped) to {@code ahead} past it. */
        long touch(ByteBuffer buffer, long ahead) {
            AppendFrontier frontier = outbox.frontier();
            int written = frontier.cycle();
            long position = frontier.position();
            if (written == Integer.MIN_VALUE || position < 0) {
                return 0;
            }
            try {
                if (written != cycle && !open(written, position)) {
                    return 0;
                }
                // Chronicle grows the file ahead of the appender; past its end there is nothing to read.
                long from = Math.max(touchedTo, position);
                long to = Math.min(position + ahead, file.size());
                long start = from;
                while (from < to) {
                    buffer.clear().limit((int) Math.min(buffer.capacity(), to - from));
                    int read = file.read(buffer, from);
                    if (read <= 0) {
                        break;
                    }
                    from += read;
                }
                touchedTo = Math.max(touchedTo, from);
                return from - start;
            } catch (IOException e) {
                if (written != failedCycle) {
                    failedCycle = written;
                    log.warn("outbox {}: cannot read ahead in {} ({}); the appender faults its pages in itself",
                            outbox.name(), outbox.cycleFile(written), e.toString());
                }
                closeFile();
                return 0;
            }
        }

        private boolean open(int written, long position) throws IOException {
            closeFile();
            Path path = outbox.cycleFile(written);
            if (!Files.exists(path)) {
                return false;
            }
            file = FileChannel.open(path, StandardOpenOption.READ);
            cycle = written;
            touchedTo = position;
            return true;
        }

        void closeFile() {
            if (file != null) {
                try {
                    file.close();
                } catch (IOException e) {
                    log.debug("outbox {}: closing {}: {}", outbox.name(), outbox.cycleFile(cycle), e.toString());
                }
                file = null;
                cycle = Integer.MIN_VALUE;
            }
        }
    }
}
