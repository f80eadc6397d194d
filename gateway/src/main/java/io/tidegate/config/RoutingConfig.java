package io.tidegate.config;

/**
 * Where messages go that no rule matched (all of them while no rules are configured).
 *
 * @param defaultDestination name of a configured, enabled destination
 * @param unmatched          {@code default}: send unmatched messages to {@code defaultDestination};
 *                           {@code drop}: count and drop them
 */
public record RoutingConfig(String defaultDestination, Unmatched unmatched) {

    public RoutingConfig {
        unmatched = unmatched == null ? Unmatched.DEFAULT : unmatched;
    }

    public enum Unmatched { DEFAULT, DROP }
}
