package io.tidegate.pipeline;

import com.lmax.disruptor.EventHandler;
import io.tidegate.config.OutboxConfig;
import io.tidegate.outbox.Outbox;
import io.tidegate.outbox.OutboxAppender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stage 2: appends the message to the outbox of each destination the route stage chose. Appenders
 * are thread-confined, so they are created and closed on this stage's thread, which also forces
 * them to disk per the {@code outbox.sync} policy: at the end of each batch ({@code batch}, before
 * the ack stage hands that batch's acknowledgements over) or when {@code syncIntervalMs} passed
 * ({@code interval}, also when the ring goes idle).
 */
final class PersistStage implements EventHandler<IngestEvent> {

    private static final Logger log = LoggerFactory.getLogger(PersistStage.class);

    private final List<Outbox> outboxes;
    private final PipelineMetrics metrics;
    private final OutboxConfig.SyncPolicy sync;
    private final long syncIntervalNanos;
    private OutboxAppender[] appenders;
    /** Outboxes appended to since their last sync. */
    private boolean[] dirty;
    private boolean anyDirty;
    private long lastSyncNanos = System.nanoTime();
    private long lastFailureLogNanos;

    PersistStage(List<Outbox> outboxes, PipelineMetrics metrics) {
        this(outboxes, metrics, new OutboxConfig(null));
    }

    PersistStage(List<Outbox> outboxes, PipelineMetrics metrics, OutboxConfig config) {
        this.outboxes = outboxes;
        this.metrics = metrics;
        this.sync = config.sync();
        this.syncIntervalNanos = TimeUnit.MILLISECONDS.toNanos(config.syncIntervalMs());
    }

    @Override
    public void onStart() {
        OutboxAppender[] opened = new OutboxAppender[outboxes.size()];
        for (int i = 0; i < opened.length; i++) {
            opened[i] = outboxes.get(i).newAppender();
        }
        appenders = opened;
        dirty = new boolean[opened.length];
    }

    @Override
    public void onShutdown() {
        if (appenders != null && sync != OutboxConfig.SyncPolicy.NONE) {
            syncDirty();
        }
        if (appenders != null) {
            for (OutboxAppender appender : appenders) {
                appender.close();
            }
        }
    }

    @Override
    public void onEvent(IngestEvent e, long sequence, boolean endOfBatch) {
        if (e.failure != null) {
            // The route stage failed on it: refused to the publisher like a failed append.
            e.stored = false;
            metrics.storeFailed();
            return;
        }
        try {
            for (int i = 0; i < e.deliveryCount; i++) {
                boolean unchanged = e.outputLengths[i] < 0;
                dirty[e.destinations[i]] = true;
                anyDirty = true;
                appenders[e.destinations[i]].append(e.idMsb, e.idLsb, e.ingestTimeMillis, e.clientId, e.topic, e.qos,
                        e.retain, e.properties, e.settings[i], unchanged ? e.payload : e.outputs[i],
                        unchanged ? e.payloadLength : e.outputLengths[i]);
            }
            if (endOfBatch) {
                syncIfDue();
            }
            e.stored = true;
            metrics.stored(e.deliveryCount);
        } catch (RuntimeException ex) {
            // Never acknowledge what is not stored: the ack stage answers with an error instead.
            e.stored = false;
            e.failure = ex.getClass().getSimpleName() + ": " + ex.getMessage();
            metrics.storeFailed();
            logFailure(ex);
        }
    }

    /** The ring has been idle for a while: an {@code interval} policy syncs what is pending. */
    void onIdle() {
        if (sync == OutboxConfig.SyncPolicy.INTERVAL && anyDirty) {
            syncDirty();
        }
    }

    private void syncIfDue() {
        if (!anyDirty || sync == OutboxConfig.SyncPolicy.NONE) {
            return;
        }
        if (sync == OutboxConfig.SyncPolicy.INTERVAL && System.nanoTime() - lastSyncNanos < syncIntervalNanos) {
            return;
        }
        syncDirty();
    }

    /** msync of each outbox appended to since the last sync; a failure fails the batch's last message. */
    private void syncDirty() {
        long start = System.nanoTime();
        for (int i = 0; i < appenders.length; i++) {
            if (dirty[i]) {
                appenders[i].sync();
                dirty[i] = false;
            }
        }
        anyDirty = false;
        lastSyncNanos = System.nanoTime();
        metrics.synced(lastSyncNanos - start);
    }

    private void logFailure(RuntimeException ex) {
        long now = System.nanoTime();
        if (now - lastFailureLogNanos > 10_000_000_000L) {
            lastFailureLogNanos = now;
            log.error("cannot append to the outbox; publishers get an error instead of an acknowledgement", ex);
        }
    }
}
