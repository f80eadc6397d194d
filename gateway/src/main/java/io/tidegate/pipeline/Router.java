package io.tidegate.pipeline;

/**
 * Chooses the destinations of a message. Runs on the route stage's thread only.
 */
@FunctionalInterface
public interface Router {

    /**
     * Writes the ids of the outboxes the message goes to into {@code destinations} and returns how
     * many; 0 drops the message (it is still acknowledged: the rules chose not to keep it).
     */
    int route(IngestEvent event, int[] destinations);

    /** Sends every message to one destination. */
    static Router always(int destinationId) {
        return (event, destinations) -> {
            destinations[0] = destinationId;
            return 1;
        };
    }
}
