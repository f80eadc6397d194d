package io.tidegate.pipeline;

import com.lmax.disruptor.EventHandler;
import io.tidegate.outbox.Outbox;
import io.tidegate.outbox.OutboxAppender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Stage 2: appends the message to the outbox of each destination the route stage chose. Appenders
 * are thread-confined, so they are created and closed on this stage's thread.
 */
final class PersistStage implements EventHandler<IngestEvent> {

    private static final Logger log = LoggerFactory.getLogger(PersistStage.class);

    private final List<Outbox> outboxes;
    private final PipelineMetrics metrics;
    private OutboxAppender[] appenders;
    private long lastFailureLogNanos;

    PersistStage(List<Outbox> outboxes, PipelineMetrics metrics) {
        this.outboxes = outboxes;
        this.metrics = metrics;
    }

    @Override
    public void onStart() {
        OutboxAppender[] opened = new OutboxAppender[outboxes.size()];
        for (int i = 0; i < opened.length; i++) {
            opened[i] = outboxes.get(i).newAppender();
        }
        appenders = opened;
    }

    @Override
    public void onShutdown() {
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
                appenders[e.destinations[i]].append(e.idMsb, e.idLsb, e.ingestTimeMillis, e.clientId, e.topic, e.qos,
                        e.retain, e.properties, e.settings[i], unchanged ? e.payload : e.outputs[i],
                        unchanged ? e.payloadLength : e.outputLengths[i]);
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

    private void logFailure(RuntimeException ex) {
        long now = System.nanoTime();
        if (now - lastFailureLogNanos > 10_000_000_000L) {
            lastFailureLogNanos = now;
            log.error("cannot append to the outbox; publishers get an error instead of an acknowledgement", ex);
        }
    }
}
