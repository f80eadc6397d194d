package io.tidegate.config;

/**
 * The HTTP admin endpoint: {@code /metrics}, {@code /healthz}, {@code /readyz}, {@code /api/status}.
 *
 * @param enabled whether it is served
 * @param host    address to bind
 * @param port    TCP port, 0 picks a free port (tests)
 */
public record AdminConfig(Boolean enabled, String host, Integer port) {

    public AdminConfig {
        enabled = enabled == null ? Boolean.TRUE : enabled;
        host = host == null ? "127.0.0.1" : host;
        port = port == null ? 9090 : port;
    }
}
