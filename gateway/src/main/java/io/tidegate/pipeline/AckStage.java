package io.tidegate.pipeline;

import com.lmax.disruptor.EventHandler;

import java.util.concurrent.CountDownLatch;

/**
 * Stage 3: hands each stored message to the MQTT layer (acknowledgement and local delivery), which
 * flushes once per batch, and clears the slot's references so the ring holds no garbage.
 */
final class AckStage implements EventHandler<IngestEvent> {

    private final StoredMessageListener listener;
    private final PipelineMetrics metrics;

    private final CountDownLatch started;

    AckStage(StoredMessageListener listener, PipelineMetrics metrics, CountDownLatch started) {
        this.listener = listener;
        this.metrics = metrics;
        this.started = started;
    }

    @Override
    public void onStart() {
        started.countDown();
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
