package io.tidegate.outbox;

import net.openhft.chronicle.core.Jvm;
import net.openhft.chronicle.core.io.IOTools;
import net.openhft.posix.MAdviseFlag;
import net.openhft.posix.PosixAPI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.MappedByteBuffer;
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
 * ext4_mpage_readpages -> zero_user_segments}). Touching the same pages first, through a mapping
 * of this thread's own, moves that work here; mappings share the page cache, so the appender's
 * touch becomes a minor fault. This mapping is marked MADV_RANDOM, so each touch fills one page
 * rather than a read-ahead window, and it goes in steps with short pauses: filling 8 MiB at once
 * held a core for 20–40 ms, which the other threads felt on two cores. The distance is kept short
 * (a few hundred milliseconds of appends): a page touched long before the appender needs it can be
 * reclaimed in between; this machine's DAMON reclaim drops file pages idle for about a second.
 * Chronicle Queue's own pretoucher is not in its
 * open-source build ({@code ExcerptAppender.pretouch()} does nothing there).
 */
public final class OutboxPretoucher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutboxPretoucher.class);
    private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long PAGE = 4096;
    /** Pages touched between short pauses, so the zero-filling never holds a core for long. */
    private static final long STEP_BYTES = 256 * 1024;
    private static final long STEP_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final long WINDOW_BYTES = 64L * 1024 * 1024;

    private final List<Target> targets;
    private final long aheadBytes;
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
            touchedBytes.addAndGet(target.touch(aheadBytes));
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

    /** One outbox: the file of the cycle its appender writes, a mapped window of it, and how far it was touched. */
    private static final class Target {

        private final Outbox outbox;
        private int cycle = Integer.MIN_VALUE;
        private FileChannel file;
        private MappedByteBuffer window;
        private long windowStart;
        private long touchedTo;
        @SuppressWarnings("unused") // written so the JIT keeps the touching loads
        private int sink;
        /** The cycle whose file last failed, so a lasting failure is logged once, not every pass. */
        private int failedCycle = Integer.MIN_VALUE;

        Target(Outbox outbox) {
            this.outbox = outbox;
        }

        /**
         * Touches the pages from the appender's offset (or where the last pass stopped) to
         * {@code ahead} past it, a step at a time.
         */
        long touch(long ahead) {
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
                // Chronicle grows the file ahead of the appender; past its end there is nothing to touch.
                long from = Math.max(touchedTo, position & -PAGE);
                long to = Math.min(position + ahead, file.size());
                long start = from;
                while (from < to) {
                    long stepEnd = Math.min(to, from + STEP_BYTES);
                    MappedByteBuffer mapped = windowFor(from, stepEnd);
                    int sum = 0;
                    for (long page = from; page < stepEnd; page += PAGE) {
                        sum += mapped.get((int) (page - windowStart));
                    }
                    sink = sum; // a load whose value went nowhere could be compiled away
                    from = Math.min(to, (stepEnd + PAGE - 1) & -PAGE);
                    if (from < to) {
                        LockSupport.parkNanos(STEP_PAUSE_NANOS);
                    }
                }
                touchedTo = Math.max(touchedTo, from);
                return from - start;
            } catch (IOException | InternalError e) {
                // InternalError: a fault in a mapped page, e.g. the file was cut under the mapping.
                if (written != failedCycle) {
                    failedCycle = written;
                    log.warn("outbox {}: cannot read ahead in {} ({}); the appender faults its pages in itself",
                            outbox.name(), outbox.cycleFile(written), e.toString());
                }
                closeFile();
                return 0;
            }
        }

        /**
         * A read-only mapping holding {@code offset}, up to the file's current end: pages past the
         * end would fault (SIGBUS). Marked MADV_RANDOM, so a touch reads one page and not a whole
         * read-ahead window around it (where the native call is not available, the kernel's default
         * read-around applies, as it did for the appender).
         */
        private MappedByteBuffer windowFor(long offset, long end) throws IOException {
            if (window != null && offset >= windowStart && end <= windowStart + window.capacity()) {
                return window;
            }
            unmapWindow();
            windowStart = offset & -PAGE;
            long length = Math.min(WINDOW_BYTES, file.size() - windowStart);
            window = file.map(FileChannel.MapMode.READ_ONLY, windowStart, length);
            adviseRandom(window);
            return window;
        }

        private boolean open(int written, long position) throws IOException {
            closeFile();
            Path path = outbox.cycleFile(written);
            if (!Files.exists(path)) {
                return false;
            }
            file = FileChannel.open(path, StandardOpenOption.READ);
            cycle = written;
            touchedTo = position & -PAGE;
            return true;
        }

        private void unmapWindow() {
            if (window != null) {
                IOTools.clean(window);
                window = null;
            }
        }

        void closeFile() {
            unmapWindow();
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

    private static void adviseRandom(MappedByteBuffer mapped) {
        try {
            PosixAPI.posix().madvise(Jvm.address(mapped), mapped.capacity(), MAdviseFlag.MADV_RANDOM);
        } catch (RuntimeException | LinkageError e) {
            log.debug("madvise(MADV_RANDOM) not available: {}", e.toString());
        }
    }
}
