package io.tidegate.config;

/**
 * One MQTT listener.
 *
 * @param enabled        whether the listener is bound at start
 * @param host           address to bind (a host name or IP literal)
 * @param port           TCP port, 0 picks a free port (tests)
 * @param allowAnonymous whether a client without an identity (no client certificate) may connect
 * @param tls            TLS settings; {@code null} for plain TCP
 */
public record ListenerConfig(Boolean enabled, String host, Integer port, Boolean allowAnonymous, TlsConfig tls) {

    public ListenerConfig {
        enabled = enabled == null ? Boolean.TRUE : enabled;
        host = host == null ? "127.0.0.1" : host;
        allowAnonymous = allowAnonymous == null ? Boolean.FALSE : allowAnonymous;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public boolean isTls() {
        return tls != null;
    }
}
