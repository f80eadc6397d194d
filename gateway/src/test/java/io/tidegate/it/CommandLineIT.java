package io.tidegate.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's tour as a user does it: {@code bin/tidegate run} on the embedded default, Debian's
 * {@code mosquitto_pub}/{@code mosquitto_sub} over mutual TLS with the generated device
 * certificate, the message in the sink and in {@code /metrics}, SIGTERM → exit 0, and the
 * {@code certs dev} and {@code outbox stats} commands.
 */
class CommandLineIT {

    private static final Path LAUNCHER = Path.of("..", "bin", "tidegate").toAbsolutePath().normalize();
    private static final Pattern LISTENER = Pattern.compile("^\\s+(mqtts?|admin)\\s+(?:http://)?([^\\s/]+):(\\d+)");

    @TempDir
    Path dataDir;

    private Process gateway;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void mosquittoClientsInstalled() {
        assertThat(Path.of("/usr/bin/mosquitto_pub")).as("mosquitto-clients must be installed "
                + "(apt-get install -y mosquitto-clients; .ci/run does it)").exists();
    }

    @AfterEach
    void stopGateway() {
        if (gateway != null && gateway.isAlive()) {
            gateway.destroyForcibly();
        }
    }

    @Test
    @DisplayName("run on the embedded default, publish with mosquitto_pub over mutual TLS, stop with SIGTERM")
    void tourOfTheEmbeddedDefault() throws Exception {
        startGateway();
        int mqtts = port("mqtts");
        int mqtt = port("mqtt");
        int admin = port("admin");
        Path certs = dataDir.resolve("certs");
        Path ca = certs.resolve("ca.pem");
        Path cert = certs.resolve("devices/device-1.pem");
        Path key = certs.resolve("devices/device-1.key");
        assertThat(stdout).anyMatch(line -> line.contains(ca.toString()));

        long before = System.nanoTime();
        assertThat(runToEnd(List.of("mosquitto_pub", "-h", "localhost", "-p", Integer.toString(mqtts),
                "--cafile", ca.toString(), "--cert", cert.toString(), "--key", key.toString(),
                "-i", "device-1-pub", "-q", "1", "-t", "dt/device-1/telemetry", "-m", "{\"temperature\":21.5}")))
                .as("client id must match the certificate").isNotEqualTo(0);
        assertThat(runToEnd(List.of("mosquitto_pub", "-h", "localhost", "-p", Integer.toString(mqtts),
                "--cafile", ca.toString(), "--cert", cert.toString(), "--key", key.toString(),
                "-i", "device-1", "-q", "1", "-t", "dt/device-1/telemetry", "-m", "{\"temperature\":21.5}")))
                .isZero();
        List<JsonNode> lines = SinkLines.awaitLines(dataDir.resolve("sink/file"), l -> !l.isEmpty(),
                Duration.ofSeconds(5));
        long latencyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).get("clientId").asText()).isEqualTo("device-1");
        assertThat(lines.get(0).get("topic").asText()).isEqualTo("dt/device-1/telemetry");
        assertThat(lines.get(0).get("payload").get("temperature").asDouble()).isEqualTo(21.5);
        System.out.println("mosquitto_pub to sink line: " + latencyMillis + " ms (including the client's TLS handshake)");

        // The device subscribes (inside its policy, cmd/device-1/#); a command published on the local
        // plain listener reaches it.
        Process subscriber = run(List.of("mosquitto_sub", "-h", "localhost", "-p", Integer.toString(mqtts),
                "--cafile", ca.toString(), "--cert", cert.toString(), "--key", key.toString(),
                "-i", "device-1", "-q", "1", "-t", "cmd/device-1/#", "-C", "1", "-W", "20", "-v"));
        Thread.sleep(500);

        assertThat(runToEnd(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(mqtt), "-q", "1",
                "-t", "cmd/device-1/reboot", "-m", "now"))).isZero();
        assertThat(subscriber.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(subscriber.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("cmd/device-1/reboot now");

        // The command goes to the file sink too; its forwarder may still be writing it.
        String forwardedBoth = "tidegate_forwarded_messages_total{destination=\"file\"} 2.0";
        String metrics = get("http://127.0.0.1:" + admin + "/metrics");
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
             !metrics.contains(forwardedBoth) && System.nanoTime() < deadline; ) {
            Thread.sleep(50);
            metrics = get("http://127.0.0.1:" + admin + "/metrics");
        }
        assertThat(metrics).contains("tidegate_messages_in_total{qos=\"1\"} 2.0");
        assertThat(metrics).contains(forwardedBoth);
        assertThat(metrics).as("the outbox file is read ahead of the appender")
                .containsPattern("(?m)^tidegate_outbox_pretouched_bytes_total [1-9]");
        assertThat(get("http://127.0.0.1:" + admin + "/readyz")).startsWith("ready");
        assertThat(get("http://127.0.0.1:" + admin + "/api/status")).contains("\"state\" : \"healthy\"");

        sigterm(gateway);
        assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
        assertThat(gateway.exitValue()).as("exit code after SIGTERM; stderr:%n%s", String.join("\n", stderr))
                .isZero();
        awaitLine(stderr, "tidegate stopped");
    }

    @Test
    @DisplayName("certs dev makes devices the running gateway accepts; outbox stats reads the outbox")
    void certsDevAndOutboxStats() throws Exception {
        startGateway();
        Path certs = dataDir.resolve("certs");
        assertThat(runToEnd(List.of(LAUNCHER.toString(), "certs", "dev", "--out", certs.toString(),
                "--devices", "2", "--prefix", "truck"))).isZero();
        assertThat(certs.resolve("devices/truck-2.pem")).exists();
        assertThat(runToEnd(List.of("mosquitto_pub", "-h", "localhost", "-p", Integer.toString(port("mqtts")),
                "--cafile", certs.resolve("ca.pem").toString(), "--cert", certs.resolve("devices/truck-2.pem").toString(),
                "--key", certs.resolve("devices/truck-2.key").toString(), "-i", "truck-2", "-q", "1",
                "-t", "dt/truck-2/telemetry", "-m", "hello"))).isZero();
        SinkLines.awaitLines(dataDir.resolve("sink/file"), l -> l.size() == 1, Duration.ofSeconds(5));

        List<String> stats = new ArrayList<>();
        assertThat(runToEnd(List.of(LAUNCHER.toString(), "outbox", "stats", "--data-dir", dataDir.toString()), stats))
                .isZero();
        assertThat(stats).anySatisfy(line -> assertThat(line).matches("file\\s+0\\s+\\d+\\s+0"));
        sigterm(gateway);
        assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(gateway.exitValue()).isZero();
    }

    private void startGateway() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "run", "--data-dir", dataDir.toString());
        Map<String, String> env = builder.environment();
        env.put("TIDEGATE_LISTENERS_MQTT_PORT", "0");
        env.put("TIDEGATE_LISTENERS_MQTTS_PORT", "0");
        env.put("TIDEGATE_ADMIN_PORT", "0");
        gateway = builder.start();
        collect(gateway.getInputStream(), stdout);
        collect(gateway.getErrorStream(), stderr);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (stdout.stream().noneMatch(l -> l.startsWith("Stop with")) && System.nanoTime() < deadline) {
            assertThat(gateway.isAlive()).as("gateway died; stderr:%n%s", String.join("\n", stderr)).isTrue();
            Thread.sleep(50);
        }
        assertThat(stdout).as("banner; stderr:%n%s", String.join("\n", stderr)).anyMatch(l -> l.startsWith("Stop with"));
    }

    /** SIGTERM with kill(1): {@link Process#destroy()} would also close our end of its output pipes. */
    private static void sigterm(Process process) throws Exception {
        assertThat(runToEnd(List.of("kill", "-TERM", Long.toString(process.pid())))).isZero();
    }

    /** The reader threads may still be copying the last lines of an exited process. */
    private static void awaitLine(List<String> lines, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (lines.stream().noneMatch(l -> l.contains(text)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(lines).anyMatch(line -> line.contains(text));
    }

    private int port(String listener) {
        for (String line : stdout) {
            Matcher m = LISTENER.matcher(line);
            if (m.find() && m.group(1).equals(listener)) {
                return Integer.parseInt(m.group(3));
            }
        }
        throw new AssertionError("no " + listener + " line in the banner: " + stdout);
    }

    private static void collect(java.io.InputStream stream, List<String> into) {
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    into.add(line);
                }
            } catch (IOException ignored) {
                // The process ended.
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    private static Process run(List<String> command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static int runToEnd(List<String> command) throws Exception {
        return runToEnd(command, new ArrayList<>());
    }

    private static int runToEnd(List<String> command, List<String> output) throws Exception {
        Process process = run(command);
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        output.addAll(text.lines().toList());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command.get(0)).isTrue();
        return process.exitValue();
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }
}
