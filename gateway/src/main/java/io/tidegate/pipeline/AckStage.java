package io.tidegate.pipeline;

import com.lmax.disruptor.EventHandler;


/**
 * Stage 3: hands each stored message to the MQTT layer (acknowledgement and local delivery), which
 * flushes once per batch, and clears the slot's references so the ring holds no garbage.
 */
final class AckStage implements EventHandler<IngestEvent> {

    private final StoredMessageListener listener;
    private final PipelineMetrics metrics;

    AckStage(StoredMessageListener listener, PipelineMetrics metrics) {
        this.listener = listener;
        this.metrics = metrics;
    }

    @Override
    public void onEvent(IngestEvent event, long sequence, boolean endOfBatch) {
        try {
            listener.onStored(event);
            metrics.recordStoreLatency(System.nanoTime() - event.ingestNanos);
        } finally {
            event.clear();
            if (endOfBatch) {
                listener.endOfBatch();
            }
        }
    }
}
