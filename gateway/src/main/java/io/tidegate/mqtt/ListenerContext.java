package io.tidegate.mqtt;

import io.tidegate.config.TlsConfig;

/**
 * What the MQTT handlers need to know about the listener a connection arrived on.
 *
 * @param name           listener name from the configuration
 * @param allowAnonymous whether a client without a certificate identity may connect
 * @param identitySource which certificate field names the device; {@code null} on plain TCP
 */
public record ListenerContext(String name, boolean allowAnonymous, TlsConfig.IdentitySource identitySource) {
}
