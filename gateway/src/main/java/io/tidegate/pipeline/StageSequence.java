package io.tidegate.pipeline;

import com.lmax.disruptor.EventHandler;

import java.util.concurrent.CountDownLatch;

/**
 * Runs route, persist and ack on one consumer thread, in that order, for each event.
 *
 * <p>Why not one Disruptor consumer per stage: a downstream consumer waits for its upstream one by
 * spinning (every wait strategy but busy-spin blocks only on the producers' cursor). Measured with
 * JFR under QoS 1 load on 2 cores, the two waiting stages burned ~70% of the gateway's CPU while
 * the work of all three is a few microseconds per message. One thread that truly blocks keeps the
 * stages' order and end-of-batch hand-over, and leaves the cores to TLS and the event loops.
 */
final class StageSequence implements EventHandler<IngestEvent> {

    private final RouteStage route;
    private final PersistStage persist;
    private final AckStage ack;
    private final CountDownLatch started;

    StageSequence(RouteStage route, PersistStage persist, AckStage ack, CountDownLatch started) {
        this.route = route;
        this.persist = persist;
        this.ack = ack;
        this.started = started;
    }

    @Override
    public void onStart() {
        try {
            route.onStart();
            persist.onStart();
            ack.onStart();
        } finally {
            started.countDown();
        }
    }

    @Override
    public void onShutdown() {
        ack.onShutdown();
        persist.onShutdown();
        route.onShutdown();
    }

    /** No event for a while (timeout wait strategies only): let the persist stage sync what is pending. */
    @Override
    public void onTimeout(long sequence) {
        persist.onIdle();
    }

    @Override
    public void onEvent(IngestEvent event, long sequence, boolean endOfBatch) throws Exception {
        try {
            route.onEvent(event, sequence, endOfBatch);
            persist.onEvent(event, sequence, endOfBatch);
        } finally {
            // Whatever happened above (even an Error from a full disk under a memory-mapped append),
            // the publisher gets an answer: a message not marked stored is refused, never acknowledged.
            ack.onEvent(event, sequence, endOfBatch);
        }
    }
}
