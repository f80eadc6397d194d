package io.tidegate.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP admin endpoint: {@code /metrics} (Prometheus text), {@code /healthz} (the process
 * answers), {@code /readyz} (listeners bound, outboxes writable: 503 with reasons otherwise) and
 * {@code /api/status} (JSON). Served by the JDK's HTTP server on one thread, off the data path.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    private static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;
    private final PrometheusMeterRegistry registry;
    private final StatusSource status;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public AdminServer(String host, int port, PrometheusMeterRegistry registry, StatusSource status) throws IOException {
        this.registry = registry;
        this.status = status;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 64);
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tidegate-admin");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", this::metrics);
        server.createContext("/healthz", exchange -> respond(exchange, 200, "text/plain", "ok\n"));
        server.createContext("/readyz", this::ready);
        server.createContext("/api/status", this::apiStatus);
        server.createContext("/", exchange -> respond(exchange, 404, "text/plain",
                "not found; try /metrics, /healthz, /readyz, /api/status\n"));
    }

    public void start() {
        server.start();
        log.info("admin on http://{}:{} (/metrics /healthz /readyz /api/status)", address().getHostString(),
                address().getPort());
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void metrics(HttpExchange exchange) throws IOException {
        respond(exchange, 200, PROMETHEUS_CONTENT_TYPE, registry.scrape());
    }

    private void ready(HttpExchange exchange) throws IOException {
        List<String> reasons = status.notReadyReasons();
        if (reasons.isEmpty()) {
            respond(exchange, 200, "text/plain", "ready\n");
        } else {
            respond(exchange, 503, "text/plain", "not ready: " + String.join("; ", reasons) + "\n");
        }
    }

    private void apiStatus(HttpExchange exchange) throws IOException {
        Map<String, Object> snapshot = status.status();
        respond(exchange, 200, "application/json", json.writeValueAsString(snapshot) + "\n");
    }

    private static void respond(HttpExchange exchange, int code, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
        exchange.sendResponseHeaders(code, head ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!head) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
