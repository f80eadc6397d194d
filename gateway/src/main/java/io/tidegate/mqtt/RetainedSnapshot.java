package io.tidegate.mqtt;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Saves the retained messages to {@code <dataDir>/retained.snapshot} and loads them at start: on
 * shutdown, and every {@link #INTERVAL_SECONDS} s when they changed. Written to a temporary file,
 * forced to disk and renamed, so a crash leaves the previous snapshot whole. A snapshot that cannot
 * be read is set aside (renamed {@code .unreadable}) and the gateway starts without it.
 */
public final class RetainedSnapshot implements AutoCloseable {

    static final int INTERVAL_SECONDS = 5;
    private static final Logger log = LoggerFactory.getLogger(RetainedSnapshot.class);
    private static final int MAGIC = 0x54475254; // "TGRT"
    private static final int VERSION = 1;

    private final RetainedMessages retained;
    private final Path file;
    private final ScheduledExecutorService timer;
    private long savedChanges;

    private RetainedSnapshot(RetainedMessages retained, Path file) {
        this.retained = retained;
        this.file = file;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "tidegate-retained-snapshot");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Loads {@code file} into {@code retained} (if it exists) and starts saving it periodically. */
    public static RetainedSnapshot start(RetainedMessages retained, Path file) {
        RetainedSnapshot snapshot = new RetainedSnapshot(retained, file);
        snapshot.load();
        snapshot.savedChanges = retained.changes();
        snapshot.timer.scheduleWithFixedDelay(snapshot::saveIfChanged, INTERVAL_SECONDS, INTERVAL_SECONDS,
                TimeUnit.SECONDS);
        return snapshot;
    }

    private void load() {
        SnapshotFiles.load(file, MAGIC, VERSION, "retained messages", log, in -> {
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                int qos = in.readUnsignedByte();
                retained.update(SnapshotFiles.readPublish(in), qos);
            }
            log.info("{} retained messages loaded from {}", count, file);
        });
    }

    private synchronized void saveIfChanged() {
        long changes = retained.changes();
        if (changes == savedChanges) {
            return;
        }
        try {
            save();
            savedChanges = changes;
        } catch (IOException | RuntimeException e) {
            log.warn("cannot save the retained messages to {}; trying again in {} s", file, INTERVAL_SECONDS, e);
        }
    }

    void save() throws IOException {
        List<RetainedMessages.Retained> all = new ArrayList<>();
        retained.all().forEach(all::add);
        SnapshotFiles.save(file, MAGIC, VERSION, out -> {
            out.writeInt(all.size());
            for (RetainedMessages.Retained message : all) {
                out.writeByte(message.qos());
                SnapshotFiles.writePublish(out, message.publish());
            }
        });
    }

    /** Stops the timer and saves what changed since the last save: call after the ring drained. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        saveIfChanged();
    }
}
