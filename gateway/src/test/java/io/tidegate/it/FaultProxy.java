package io.tidegate.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * An HTTP proxy in front of a local AWS stand-in that injects the faults the stand-ins never
 * produce. Every request goes to the {@link Fault}: it may change the body before it is forwarded,
 * answer by itself (an HTTP 400 throttling error), or rewrite the stand-in's answer (per-record
 * failures, unprocessed items). Checksums of rewritten answers are dropped.
 */
final class FaultProxy implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A JSON request or response body, parsed (the AWS JSON protocols the faults rewrite). */
    static JsonNode readJson(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON node as a request or response body. */
    static byte[] writeJson(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    static {
        // The JDK server waits for Nagle's algorithm otherwise: 40 ms per small response.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private static final Set<String> COPIED_RESPONSE_HEADERS = Set.of("content-type", "x-amzn-requestid");
    private static final Set<String> SKIPPED_REQUEST_HEADERS = Set.of("host", "content-length", "connection",
            "expect", "transfer-encoding");

    /** What to do with one request. */
    interface Fault {
        /** @param target the {@code X-Amz-Target} header, e.g. {@code Kinesis_20131202.PutRecords} */
        Exchange on(String target, byte[] body);
    }

    /** The plan for one request: forward {@code body} (or answer without forwarding) and rewrite the answer. */
    interface Exchange {
        /** The body to forward, or null to answer with {@link #answer} without asking the stand-in. */
        byte[] forward();

        /** The response to give for the stand-in's {@code status} and {@code body} (both 0/null when not forwarded). */
        Response answer(int status, byte[] body);
    }

    record Response(int status, byte[] body) {
    }

    static Exchange passThrough(byte[] body) {
        return new Exchange() {
            @Override
            public byte[] forward() {
                return body;
            }

            @Override
            public Response answer(int status, byte[] response) {
                return new Response(status, response);
            }
        };
    }

    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI upstream;
    private volatile Fault fault = FaultProxy::passThroughFault;

    FaultProxy(String upstreamEndpoint) throws IOException {
        this.upstream = URI.create(upstreamEndpoint);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    private static Exchange passThroughFault(String target, byte[] body) {
        return passThrough(body);
    }

    void fault(Fault newFault) {
        fault = newFault;
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            Exchange plan = fault.on(target == null ? "" : target, body);
            byte[] forward = plan.forward();
            Response answer;
            Map<String, List<String>> headers = Map.of();
            if (forward == null) {
                answer = plan.answer(0, null);
            } else {
                HttpResponse<byte[]> response = client.send(upstreamRequest(exchange, forward),
                        HttpResponse.BodyHandlers.ofByteArray());
                headers = response.headers().map();
                answer = plan.answer(response.statusCode(), response.body());
            }
            headers.forEach((name, values) -> {
                if (COPIED_RESPONSE_HEADERS.contains(name.toLowerCase())) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
                exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            }
            exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpRequest upstreamRequest(HttpExchange exchange, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().toString()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!SKIPPED_REQUEST_HEADERS.contains(name.toLowerCase())) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return request.build();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
