package io.tidegate.config;

/**
 * Where messages go. Until the rules engine lands, every message goes to {@code defaultDestination}.
 *
 * @param defaultDestination name of a configured destination
 */
public record RoutingConfig(String defaultDestination) {
}
