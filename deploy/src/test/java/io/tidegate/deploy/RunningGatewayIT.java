package io.tidegate.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.Gateway;
import io.tidegate.config.ConfigLoader;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real gateway in this JVM, on the Kubernetes configuration (deploy/k8s/base/tidegate.yaml) with loopback
 * addresses, free ports and a temporary data directory. Against it: the Grafana dashboard's queries name
 * only metrics it exports (after one message and a few refusals, so that the counters created on first
 * use exist), every health path the deployment files use answers, and the preStop hook returns.
 */
class RunningGatewayIT {

    private static final Set<String> TARGET_LABELS = Set.of("job", "instance");
    private static final Set<String> RATE_FUNCTIONS = Set.of("rate", "irate", "increase");

    @TempDir
    static Path dataDir;

    private static Gateway gateway;
    private static String admin;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startGateway() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TIDEGATE_DATADIR", dataDir.toString());
        env.put("TIDEGATE_LISTENERS_MQTT_PORT", "0");
        env.put("TIDEGATE_LISTENERS_MQTTS_HOST", "127.0.0.1");
        env.put("TIDEGATE_LISTENERS_MQTTS_PORT", "0");
        env.put("TIDEGATE_ADMIN_HOST", "127.0.0.1");
        env.put("TIDEGATE_ADMIN_PORT", "0");
        gateway = Gateway.start(ConfigLoader.load(Optional.of(RepoFiles.K8S.resolve("base/tidegate.yaml")), env));
        admin = "http://127.0.0.1:" + gateway.adminAddress().orElseThrow().getPort();
        exercise("tcp://127.0.0.1:" + gateway.listenerAddress("mqtt").getPort());
        subscribeToAnInvalidFilter(gateway.listenerAddress("mqtt").getPort());
    }

    @AfterAll
    static void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    /**
     * A refused subscription (counted by reason): a filter with '#' before its last level, sent as
     * raw bytes since client libraries refuse to send it. SUBACK 0x80 comes back.
     */
    private static void subscribeToAnInvalidFilter(int port) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            byte[] clientId = "deploy-raw".getBytes(StandardCharsets.UTF_8);
            java.io.ByteArrayOutputStream connect = new java.io.ByteArrayOutputStream();
            connect.writeBytes(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60, 0, (byte) clientId.length});
            connect.writeBytes(clientId);
            byte[] filter = "probe/#/bad".getBytes(StandardCharsets.UTF_8);
            java.io.ByteArrayOutputStream subscribe = new java.io.ByteArrayOutputStream();
            subscribe.writeBytes(new byte[] {0, 1, 0, (byte) filter.length});
            subscribe.writeBytes(filter);
            subscribe.write(0);
            var out = socket.getOutputStream();
            out.write(0x10);
            out.write(connect.size());
            connect.writeTo(out);
            out.write(0x82);
            out.write(subscribe.size());
            subscribe.writeTo(out);
            out.flush();
            byte[] replies = socket.getInputStream().readNBytes(4 + 5); // CONNACK, then SUBACK
            if (replies[4] != (byte) 0x90 || replies[8] != (byte) 0x80) {
                throw new AssertionError("expected CONNACK then SUBACK 0x80, got " + java.util.Arrays.toString(replies));
            }
        }
    }

    /** A stored message, a dropped local delivery and a server disconnect. */
    private static void exercise(String url) throws Exception {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(10);
        MqttClient device = new MqttClient(url, "deploy-probe", new MemoryPersistence());
        device.setTimeToWait(10_000);
        device.connect(options);
        device.publish("dt/deploy-probe/telemetry", "{\"temperature\":21.5}".getBytes(StandardCharsets.UTF_8), 1, false);

        // An MQTT 5 subscriber that takes packets of at most 128 bytes: a larger delivery is dropped and counted.
        var small = new org.eclipse.paho.mqttv5.client.MqttClient(url, "deploy-small",
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        MqttConnectionOptions v5 = new MqttConnectionOptions();
        v5.setMaximumPacketSize(128L);
        v5.setCleanStart(true);
        v5.setAutomaticReconnect(false);
        small.connect(v5);
        small.subscribe("probe/#", 0);
        device.publish("probe/big", new byte[512], 1, false);

        // The same client id again: the first connection is taken over (counted as a server disconnect).
        MqttClient again = new MqttClient(url, "deploy-probe", new MemoryPersistence());
        again.setTimeToWait(10_000);
        again.connect(options);

        again.disconnect(1000);
        again.close(true);
        small.disconnect();
        small.close(true);
        device.close(true);
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(admin + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    // ---- the dashboard ----

    private static JsonNode dashboard() throws IOException {
        return new ObjectMapper().readTree(RepoFiles.DEPLOY.resolve("grafana/tidegate.json").toFile());
    }

    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add); // collapsed rows hold their panels
        }
        return panels;
    }

    /** Every query of the dashboard: panel targets and variable queries, keyed by where it is. */
    private static Map<String, PromQl.Query> queries(JsonNode dashboard) {
        Map<String, PromQl.Query> queries = new LinkedHashMap<>();
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                queries.put("panel \"" + panel.path("title").asText() + "\" " + target.path("refId").asText(),
                        PromQl.parse(target.path("expr").asText()));
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                JsonNode query = variable.path("query");
                queries.put("variable $" + variable.path("name").asText(),
                        PromQl.parseLabelValues(query.isTextual() ? query.asText() : query.path("query").asText()));
            }
        }
        return queries;
    }

    private static PrometheusScrape scrapeWith(Set<String> metrics) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            HttpResponse<String> response = get("/metrics");
            assertThat(response.statusCode()).isEqualTo(200);
            PrometheusScrape scrape = new PrometheusScrape(response.body());
            if (scrape.samples().containsAll(metrics) || System.nanoTime() > deadline) {
                return scrape;
            }
            Thread.sleep(200);
        }
    }

    @Test
    void dashboardQueriesNameMetricsTheGatewayExports() throws Exception {
        Map<String, PromQl.Query> queries = queries(dashboard());
        Set<String> metrics = new LinkedHashSet<>();
        queries.values().forEach(q -> metrics.addAll(q.metrics()));
        assertThat(metrics).as("metrics the dashboard uses").hasSizeGreaterThan(20);
        PrometheusScrape scrape = scrapeWith(metrics);

        List<String> problems = new ArrayList<>();
        queries.forEach((where, query) -> {
            Set<String> labelsInQuery = new HashSet<>(TARGET_LABELS);
            for (PromQl.Selector s : query.selectors()) {
                String metric = s.metric();
                if (!scrape.has(metric)) {
                    problems.add(where + ": " + metric + " is not exported");
                    continue;
                }
                labelsInQuery.addAll(scrape.labels(metric));
                for (String label : s.matcherLabels()) {
                    if (!TARGET_LABELS.contains(label) && !scrape.labels(metric).contains(label)) {
                        problems.add(where + ": " + metric + " has no label " + label);
                    }
                }
                String type = scrape.type(metric).orElse("untyped");
                boolean rated = s.enclosing().stream().anyMatch(RATE_FUNCTIONS::contains);
                boolean cumulative = type.equals("counter") || type.equals("histogram")
                        || type.equals("summary") && (metric.endsWith("_sum") || metric.endsWith("_count"));
                if (cumulative && !rated && !where.startsWith("variable")) {
                    problems.add(where + ": " + metric + " is a " + type + ": graph its rate(), not its value");
                }
                if (type.equals("gauge") && rated) {
                    problems.add(where + ": " + metric + " is a gauge: rate() means nothing");
                }
                if (metric.endsWith("_bucket") && (!s.enclosing().contains("histogram_quantile")
                        || !query.groupingLabels().contains("le"))) {
                    problems.add(where + ": " + metric + " needs histogram_quantile over sum by (le)");
                }
            }
            for (String label : query.groupingLabels()) {
                if (!labelsInQuery.contains(label)) {
                    problems.add(where + ": groups by " + label + ", which none of its metrics has");
                }
            }
        });
        assertThat(problems).as("dashboard queries against a scrape of the gateway").isEmpty();
    }

    @Test
    void dashboardIsWellFormed() throws IOException {
        JsonNode dashboard = dashboard();
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        assertThat(dashboard.path("title").asText()).isEqualTo("Tidegate");
        JsonNode datasource = dashboard.path("templating").path("list").get(0);
        assertThat(datasource.path("type").asText()).isEqualTo("datasource");
        assertThat(datasource.path("query").asText()).isEqualTo("prometheus");
        Set<Integer> ids = new HashSet<>();
        List<int[]> boxes = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            String title = panel.path("title").asText();
            assertThat(ids.add(panel.path("id").asInt())).as("unique id of %s", title).isTrue();
            JsonNode pos = panel.path("gridPos");
            int x = pos.path("x").asInt(), y = pos.path("y").asInt(), w = pos.path("w").asInt(), h = pos.path("h").asInt();
            assertThat(w).as("width of %s", title).isPositive();
            assertThat(x + w).as("right edge of %s", title).isLessThanOrEqualTo(24);
            for (int[] b : boxes) {
                boolean overlap = x < b[0] + b[2] && b[0] < x + w && y < b[1] + b[3] && b[1] < y + h;
                assertThat(overlap).as("%s overlaps another panel", title).isFalse();
            }
            boxes.add(new int[] {x, y, w, h});
            String type = panel.path("type").asText();
            if (!type.equals("row") && !type.equals("text")) {
                assertThat(panel.path("datasource").path("uid").asText()).as("datasource of %s", title).isEqualTo("${datasource}");
                Set<String> refIds = new HashSet<>();
                assertThat(panel.path("targets").size()).as("queries of %s", title).isPositive();
                for (JsonNode target : panel.path("targets")) {
                    assertThat(refIds.add(target.path("refId").asText())).as("refIds of %s", title).isTrue();
                    assertThat(target.path("expr").asText()).as("query of %s", title).isNotBlank();
                }
            }
        }
    }

    // ---- health paths and the preStop hook ----

    /** Every admin path a deployment file calls: probes, the NLB health check, the image's HEALTHCHECK, hooks. */
    @Test
    void everyHealthPathTheDeploymentFilesUseAnswers() throws Exception {
        Set<String> paths = new LinkedHashSet<>();
        for (Path file : RepoFiles.yamlFiles(RepoFiles.K8S)) {
            if (file.getFileName().toString().equals("tidegate.yaml")) {
                continue;
            }
            for (JsonNode document : StrictKubernetes.documents(RepoFiles.read(file))) {
                document.findValues("httpGet").forEach(g -> paths.add(g.path("path").asText()));
                document.findValues("annotations").forEach(a ->
                        a.fields().forEachRemaining(e -> {
                            if (e.getKey().endsWith("healthcheck-path")) {
                                paths.add(e.getValue().asText());
                            }
                        }));
            }
        }
        Pattern url = Pattern.compile("http://(?:127\\.0\\.0\\.1|localhost|tidegate):9090(/[a-z/]+)");
        for (Path file : List.of(RepoFiles.DEPLOY.resolve("docker/Dockerfile"), RepoFiles.DEPLOY.resolve("docker/bin/tidegate-prestop"),
                RepoFiles.K8S.resolve("overlays/loadtest/job.yaml"))) {
            Matcher m = url.matcher(RepoFiles.read(file));
            while (m.find()) {
                paths.add(m.group(1));
            }
        }
        paths.add("/api/status"); // tidegate-prestop appends it to --admin
        assertThat(paths).contains("/healthz", "/readyz");
        for (String path : paths) {
            assertThat(get(path).statusCode()).as("GET %s", path).isEqualTo(200);
        }
    }

    @Test
    void preStopHookReturnsOnceTheOutboxCaughtUp() throws Exception {
        Result result = runPreStop(admin);
        assertThat(result.exit()).isZero();
        assertThat(result.stderr()).contains("caught up");
        assertThat(result.seconds()).isLessThan(10);
    }

    @Test
    void preStopHookDoesNotHoldUpAStopWhenTheGatewayIsGone() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Result result = runPreStop("http://127.0.0.1:" + closedPort);
        assertThat(result.exit()).isZero();
        assertThat(result.stderr()).contains("does not answer");
        assertThat(result.seconds()).isLessThan(10);
    }

    private record Result(int exit, String stderr, long seconds) {
    }

    private static Result runPreStop(String adminUrl) throws Exception {
        Assumptions.assumeTrue(Commands.onPath("curl") && Commands.onPath("sh"), "the hook needs sh and curl");
        Path script = RepoFiles.DEPLOY.resolve("docker/bin/tidegate-prestop");
        Path err = Files.createTempFile(dataDir, "prestop", ".err");
        long start = System.nanoTime();
        Process p = new ProcessBuilder("sh", script.toString(), "--admin", adminUrl, "--settle-seconds", "0",
                "--max-wait-seconds", "5").redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("the hook returns").isTrue();
        return new Result(p.exitValue(), Files.readString(err), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
    }
}
