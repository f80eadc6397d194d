package io.tidegate.pipeline;

/**
 * Chooses where a message is stored. Runs on the ring's consumer thread only.
 */
public interface Router {

    /**
     * Adds the message's deliveries to the event ({@link IngestEvent#deliverUnchanged},
     * {@link IngestEvent#deliver}); adding none drops the message (it is still acknowledged: the
     * rules chose not to keep it).
     */
    void route(IngestEvent event);

    /** The most deliveries {@link #route} adds for one message; ring slots are sized by it. */
    default int maxDeliveries() {
        return 1;
    }

    /** Stores every message, unchanged, in one destination. */
    static Router always(int destinationId) {
        return event -> event.deliverUnchanged(destinationId);
    }
}
