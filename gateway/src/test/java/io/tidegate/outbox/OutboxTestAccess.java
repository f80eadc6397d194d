package io.tidegate.outbox;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/** Test access to package-private outbox parts: a disk without a floor, raw (damaged) entries. */
public final class OutboxTestAccess {

    private OutboxTestAccess() {
    }

    public static DiskSpace unlimitedDisk() {
        return new DiskSpace(() -> Long.MAX_VALUE, 0);
    }

    /** Appends {@code bytes} as one document of the queue in {@code outbox}'s directory, bypassing the entry codec. */
    public static void appendRaw(Outbox outbox, byte[] bytes) {
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(outbox.directory()).build();
             ExcerptAppender appender = queue.createAppender();
             DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().write(bytes);
        }
    }
}
