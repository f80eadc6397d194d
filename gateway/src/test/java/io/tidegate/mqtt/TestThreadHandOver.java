package io.tidegate.mqtt;

import io.tidegate.pipeline.IngestEvent;
import io.tidegate.pipeline.StoredMessageListener;

/**
 * Runs the real {@link StoredMessageDispatcher} for the ring's ack stage, but makes its end-of-batch
 * hand-over (which calls {@code channel.eventLoop().execute}) on the test thread.
 *
 * <p>An {@code EmbeddedChannel}'s event loop keeps its tasks in a plain {@code ArrayDeque} and
 * assumes one thread; a real event loop takes tasks from any thread. So the ack stage only queues
 * (under a lock), and {@link #handOver()} — called by the test while it waits for a reply — hands
 * the touched sessions to their channels. A test that does not wait holds every acknowledgement,
 * which makes "the client has N messages unacknowledged" deterministic.
 */
final class TestThreadHandOver implements StoredMessageListener {

    private final StoredMessageDispatcher dispatcher;
    private final Object lock = new Object();

    TestThreadHandOver(StoredMessageDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public void onStored(IngestEvent event) {
        synchronized (lock) {
            dispatcher.onStored(event);
        }
    }

    @Override
    public void endOfBatch() {
        // Deferred to handOver(), on the test thread.
    }

    /** Hands everything stored so far to the channels' (embedded) event loops. */
    void handOver() {
        synchronized (lock) {
            dispatcher.endOfBatch();
        }
    }
}
