package io.tidegate.rules;

/**
 * Receives what {@link RuleSet#route} decided for one message: one call per delivery, in rule
 * order, on the routing thread. Arrays and settings passed in are reused for the next delivery:
 * copy what you keep before returning.
 */
@FunctionalInterface
public interface RouteSink {

    /**
     * @param destinationId the destination's id from the resolver given to {@link RuleSet#compile}
     * @param payload       the bytes to store; {@code null} means the message's own payload, unchanged
     *                      ({@code SELECT *} and the default destination)
     * @param length        how many bytes of {@code payload} from index 0 (the message's payload
     *                      length when {@code payload} is null)
     * @param settings      the action's settings with their templates rendered for this message
     */
    void deliver(int destinationId, byte[] payload, int length, ActionSettings settings);
}
