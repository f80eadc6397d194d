package io.tidegate.outbox;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

import java.util.List;
import java.util.Map;

/**
 * Appends entries to one outbox. Chronicle appenders are thread-confined: each appending thread
 * (the pipeline's persist stage) takes its own from {@link Outbox#newAppender()}.
 */
public final class OutboxAppender implements AutoCloseable {

    private final ExcerptAppender appender;
    private final OutboxStats stats;
    private final AppendFrontier frontier;

    OutboxAppender(ExcerptAppender appender, OutboxStats stats, AppendFrontier frontier) {
        this.appender = appender;
        this.stats = stats;
        this.frontier = frontier;
    }

    /**
     * Appends one entry. When this returns the entry is in the memory-mapped queue file, so it
     * survives a crash of this process (not, without an fsync policy, a power loss).
     *
     * @return the entry's queue index
     */
    public long append(long idMsb, long idLsb, long ingestTimeMillis, String clientId, String topic, int qos,
                       boolean retain, MessageProperties props, byte[] payload, int payloadLength) {
        return append(idMsb, idLsb, ingestTimeMillis, clientId, topic, qos, retain, props, List.of(), payload,
                payloadLength);
    }

    /** {@link #append} with the rendered settings of the rule action that produced the entry. */
    public long append(long idMsb, long idLsb, long ingestTimeMillis, String clientId, String topic, int qos,
                       boolean retain, MessageProperties props, List<Map.Entry<String, String>> settings,
                       byte[] payload, int payloadLength) {
        long size;
        long end;
        try (DocumentContext dc = appender.writingDocument()) {
            Bytes<?> bytes = dc.wire().bytes();
            long start = bytes.writePosition();
            try {
                OutboxEntryCodec.write(bytes, idMsb, idLsb, ingestTimeMillis, clientId, topic, qos, retain, props,
                        settings, payload, payloadLength);
            } catch (RuntimeException e) {
                dc.rollbackOnClose();
                throw e;
            }
            end = bytes.writePosition();
            size = end - start;
        }
        // The wire's bytes are the whole cycle file mapped, so its write position is the file offset.
        frontier.advance(appender.cycle(), end);
        stats.appended(size);
        return appender.lastIndexAppended();
    }

    /** Forces what this appender wrote to the disk (msync of the mapped queue file up to its end). */
    public void sync() {
        appender.sync();
    }

    @Override
    public void close() {
        appender.close();
    }
}
