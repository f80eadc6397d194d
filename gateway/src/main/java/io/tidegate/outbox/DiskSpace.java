package io.tidegate.outbox;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Free space of the file system the outboxes live on, against a floor. Asked on every publish when
 * an outbox applies backpressure, so the answer is cached for {@link #REFRESH_NANOS}.
 */
public final class DiskSpace {

    static final long REFRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final LongSupplier usableBytes;
    private final long floorBytes;
    private volatile long checkedAtNanos;
    private volatile boolean belowFloor;

    DiskSpace(LongSupplier usableBytes, long floorBytes) {
        this.usableBytes = usableBytes;
        this.floorBytes = floorBytes;
        this.checkedAtNanos = System.nanoTime() - 2 * REFRESH_NANOS;
    }

    /** The file system holding {@code directory}, with {@code floorBytes} to keep free (0: no floor). */
    public static DiskSpace of(Path directory, long floorBytes) throws IOException {
        FileStore store = Files.getFileStore(directory);
        return new DiskSpace(() -> {
            try {
                return store.getUsableSpace();
            } catch (IOException e) {
                return Long.MAX_VALUE; // cannot tell: do not stop ingest on a failed statfs
            }
        }, floorBytes);
    }

    /** Whether less than the floor is free (as of at most 100 ms ago). */
    public boolean belowFloor() {
        if (floorBytes <= 0) {
            return false;
        }
        long now = System.nanoTime();
        if (now - checkedAtNanos >= REFRESH_NANOS) {
            belowFloor = usableBytes.getAsLong() < floorBytes;
            checkedAtNanos = now;
        }
        return belowFloor;
    }

    public long floorBytes() {
        return floorBytes;
    }
}
