package io.tidegate.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault injection 1: {@code kill -9} of the gateway process under QoS 1 load, then a restart on the
 * same ports and data directory. 20 devices publish 2,500 numbered messages each over the plain
 * listener with Eclipse Paho (asynchronous, a window of in-flight publishes per device), recording
 * which sequence numbers were acknowledged and by which gateway process. When about a third are
 * acknowledged the gateway gets SIGKILL (exit code 137, no shutdown hook runs); the devices see
 * the connection drop, reconnect until the restarted gateway answers, and resend everything they
 * have not seen acknowledged, from the first unacknowledged message, in order.
 *
 * <p>Checked: every message acknowledged at any time (in particular by the killed process) is in
 * the file sink; per device the sink holds the sequence in order once repeats are removed; the
 * duplicates are counted, reported and bounded; the restarted gateway reports its destination
 * healthy with an empty backlog, and so does {@code tidegate outbox stats}.
 */
class CrashRecoveryIT {

    private static final Logger log = LoggerFactory.getLogger(CrashRecoveryIT.class);
    private static final Path LAUNCHER = Path.of("..", "bin", "tidegate").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final int DEVICES = 20;
    private static final int MESSAGES = 2_500;
    /** In-flight QoS 1 publishes per device. */
    private static final int WINDOW = 64;
    /** The file destination's default {@code batch.maxRecords} (and {@code maxInFlight} 1). */
    private static final int FORWARDER_BATCH_MAX_RECORDS = 1_000;
    /** Everything a device does (both gateway lifetimes) must end within this. */
    private static final Duration DEVICE_DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path dataDir;

    private final List<GatewayProcess> started = new ArrayList<>();

    /** 0 while the first gateway process lives (and until the second is started), then 1. */
    private volatile int lifetime;

    /** Each gateway process's output is kept here for a look after the run. */
    private static final Path LOGS = Path.of("target", "crash-recovery");

    @AfterEach
    void killLeftoversAndKeepLogs() throws IOException {
        Files.createDirectories(LOGS);
        for (int i = 0; i < started.size(); i++) {
            GatewayProcess gateway = started.get(i);
            gateway.process.toHandle().destroyForcibly();
            List<String> output = new ArrayList<>(gateway.stdout);
            output.addAll(gateway.stderr);
            Files.write(LOGS.resolve("gateway-" + (i + 1) + ".log"), output);
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    @DisplayName("kill -9 under 20 × 2,500 QoS 1 load: every acknowledged message reaches the sink after a restart")
    void killMinusNineLosesNothingAcknowledged() throws Exception {
        long testStart = System.nanoTime();
        GatewayProcess first = GatewayProcess.start(dataDir, Map.of(
                "TIDEGATE_LISTENERS_MQTT_PORT", "0", "TIDEGATE_ADMIN_PORT", "0"));
        started.add(first);
        log.info("first gateway up in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - testStart));
        int mqttPort = first.port("mqtt");

        AtomicInteger acknowledged = new AtomicInteger();
        List<Device> devices = new ArrayList<>();
        for (int d = 0; d < DEVICES; d++) {
            devices.add(new Device(Fleet.clientId("crash", d), mqttPort, acknowledged));
        }

        ExecutorService pool = Executors.newFixedThreadPool(DEVICES);
        GatewayProcess second;
        int ackedAtKill;
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (Device device : devices) {
                runs.add(pool.submit(() -> {
                    device.run();
                    return null;
                }));
            }
            awaitAtLeast(acknowledged, DEVICES * MESSAGES / 3, Duration.ofSeconds(60), runs);
            int ackedAtSignal = acknowledged.get();

            // SIGKILL: ProcessHandle.destroyForcibly sends SIGKILL on Linux (bin/tidegate execs
            // java, so this is the gateway's JVM) and, unlike Process.destroyForcibly, leaves our end
            // of its output pipes open, so we keep whatever it logged.
            assertThat(first.process.toHandle().destroyForcibly()).isTrue();
            assertThat(first.process.waitFor(10, TimeUnit.SECONDS)).as("killed process ended").isTrue();
            ackedAtKill = acknowledged.get();
            assertThat(first.process.exitValue()).as("exit code 128 + 9 (SIGKILL), not 143 (SIGTERM)")
                    .isEqualTo(137);
            first.drainOutput();
            assertThat(first.stderr).as("no graceful stop ran").noneMatch(l -> l.contains("tidegate stopping"));
            log.info("killed the gateway (exit {}): {} acknowledgements when the signal was sent, {} once it was dead",
                    first.process.exitValue(), ackedAtSignal, ackedAtKill);

            lifetime = 1;
            long restartBegin = System.nanoTime();
            second = GatewayProcess.start(dataDir, Map.of(
                    "TIDEGATE_LISTENERS_MQTT_PORT", Integer.toString(mqttPort), "TIDEGATE_ADMIN_PORT", "0"));
            started.add(second);
            log.info("restarted on port {} in {} ms", second.port("mqtt"),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartBegin));
            assertThat(second.port("mqtt")).isEqualTo(mqttPort);

            for (Future<?> run : runs) {
                run.get(DEVICE_DEADLINE.toSeconds() + 10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long clientsDone = System.nanoTime();

        int ackedByFirst = 0;
        for (Device device : devices) {
            assertThat(device.ackedCount.get()).as("%s acknowledged", device.id).isEqualTo(MESSAGES);
            ackedByFirst += device.ackedIn(0).size();
        }
        assertThat(ackedByFirst).as("acknowledged by the killed process").isGreaterThanOrEqualTo(ackedAtKill);

        // The sink must hold every acknowledged message; wait for it (bounded), then check it all.
        Map<String, Set<Integer>> expected = new HashMap<>();
        devices.forEach(d -> expected.put(d.id, d.ackedIn(-1)));
        SinkRead sink = SinkRead.await(first.sinkDir(), expected, Duration.ofSeconds(30));
        long sinkComplete = System.nanoTime();

        int missingFromFirst = 0;
        int missingFromSecond = 0;
        List<String> missingExamples = new ArrayList<>();
        int clientResends = 0;
        for (Device device : devices) {
            Set<Integer> present = new HashSet<>(sink.sequences.getOrDefault(device.id, List.of()));
            for (int seq : device.ackedIn(0)) {
                if (!present.contains(seq)) {
                    missingFromFirst++;
                    if (missingExamples.size() < 20) {
                        missingExamples.add(device.id + "#" + seq + " (killed gateway)");
                    }
                }
            }
            for (int seq : device.ackedIn(1)) {
                if (!present.contains(seq)) {
                    missingFromSecond++;
                    if (missingExamples.size() < 20) {
                        missingExamples.add(device.id + "#" + seq + " (restarted gateway)");
                    }
                }
            }
            clientResends += device.resent.get();
        }
        assertThat(missingFromFirst).as("messages the killed gateway acknowledged and the sink does not hold,"
                + " e.g. %s", missingExamples).isZero();
        assertThat(missingFromSecond).as("messages the restarted gateway acknowledged and the sink does not hold,"
                + " e.g. %s", missingExamples).isZero();

        List<Integer> allSequences = java.util.stream.IntStream.range(0, MESSAGES).boxed().toList();
        for (Device device : devices) {
            assertThat(firstOccurrences(sink.sequences.get(device.id)))
                    .as("sequence of %s in the sink, repeats removed", device.id)
                    .containsExactlyElementsOf(allSequences);
        }

        // Why there are duplicates, and how many there can be:
        // - the forwarder writes a batch to the sink (fsync) and then commits its outbox position; a
        //   batch written but not committed at the kill is written again by the restarted forwarder
        //   (same outbox entry, so the same message id). With batch.maxInFlight 1, at most one batch:
        //   batch.maxRecords entries;
        // - a device resends what it had in flight without a PUBACK; whatever of it the killed gateway
        //   had already appended to the outbox is stored twice (a new entry, a new message id). At
        //   most the window of every device.
        int duplicates = sink.lines - sink.distinctMessages;
        log.info("crash recovery: {} acknowledged at the kill ({} by the killed process in all), {} resent by the"
                        + " devices, {} sink lines, {} duplicates ({} re-forwarded with the same id, {} resent by"
                        + " devices), {} torn lines",
                ackedAtKill, ackedByFirst, clientResends, sink.lines, duplicates, sink.sameIdDuplicates,
                duplicates - sink.sameIdDuplicates, sink.tornLines);
        assertThat(sink.sameIdDuplicates).as("re-forwarded entries (one batch at most)")
                .isLessThanOrEqualTo(FORWARDER_BATCH_MAX_RECORDS);
        assertThat(duplicates - sink.sameIdDuplicates).as("device resends stored twice (the windows at most)")
                .isLessThanOrEqualTo(DEVICES * WINDOW);
        assertThat(duplicates).as("duplicates").isLessThanOrEqualTo(DEVICES * WINDOW * 2 + FORWARDER_BATCH_MAX_RECORDS);
        assertThat(sink.tornLines).as("incomplete lines left by the kill (at most the one being written)")
                .isLessThanOrEqualTo(1);

        // The restarted gateway: destination healthy, nothing left in the outbox.
        String admin = "http://127.0.0.1:" + second.port("admin");
        JsonNode destination = awaitDestination(admin, "file", Duration.ofSeconds(15));
        assertThat(destination.path("state").asText()).as("file destination: %s", destination).isEqualTo("healthy");
        assertThat(destination.path("backlogEntries").asLong()).as("file destination: %s", destination).isZero();
        assertThat(get(admin + "/readyz")).startsWith("ready");
        assertThat(get(admin + "/metrics")).contains("tidegate_outbox_backlog_entries{destination=\"file\"} 0.0");

        List<String> stats = new ArrayList<>();
        assertThat(GatewayProcess.runToEnd(List.of(LAUNCHER.toString(), "outbox", "stats", "--data-dir",
                dataDir.toString()), stats)).as("outbox stats: %s", stats).isZero();
        assertThat(stats).as("outbox stats").anySatisfy(line -> assertThat(line).matches("file\\s+0\\s+0\\s+0"));

        second.sigterm();
        assertThat(second.process.waitFor(30, TimeUnit.SECONDS)).as("restarted gateway stopped").isTrue();
        assertThat(second.process.exitValue()).as("exit code after SIGTERM; stderr:%n%s", second.stderrText())
                .isZero();
        second.drainOutput();
        List<String> warnings = second.stderr.stream().filter(l -> l.contains("WARN") || l.contains("ERROR")).toList();
        if (!warnings.isEmpty()) {
            log.info("the restarted gateway logged {} warnings/errors, first: {}", warnings.size(),
                    warnings.subList(0, Math.min(10, warnings.size())));
        }
        log.info("timings: until all devices done {} ms, sink complete {} ms later, test {} ms",
                TimeUnit.NANOSECONDS.toMillis(clientsDone - testStart),
                TimeUnit.NANOSECONDS.toMillis(sinkComplete - clientsDone),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - testStart));
    }

    private static void awaitAtLeast(AtomicInteger counter, int target, Duration timeout, List<Future<?>> runs)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (counter.get() < target && System.nanoTime() < deadline) {
            for (Future<?> run : runs) {
                if (run.isDone()) {
                    run.get(); // a device failed before the kill: surface its exception
                }
            }
            Thread.sleep(2);
        }
        assertThat(counter.get()).as("acknowledged before the kill").isGreaterThanOrEqualTo(target);
    }

    /** The sequence with every value after its first occurrence removed. */
    private static List<Integer> firstOccurrences(List<Integer> sequence) {
        assertThat(sequence).as("device in the sink").isNotNull();
        List<Integer> result = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (Integer seq : sequence) {
            if (seen.add(seq)) {
                result.add(seq);
            }
        }
        return result;
    }

    private static JsonNode awaitDestination(String admin, String name, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode found = null;
        while (System.nanoTime() < deadline) {
            for (JsonNode d : JSON.readTree(get(admin + "/api/status")).path("destinations")) {
                if (d.path("name").asText().equals(name)) {
                    found = d;
                }
            }
            if (found != null && found.path("backlogEntries").asLong() == 0
                    && found.path("state").asText().equals("healthy")) {
                return found;
            }
            Thread.sleep(100);
        }
        assertThat(found).as("destination %s in /api/status", name).isNotNull();
        return found;
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    /**
     * One device: publishes 0..MESSAGES-1 with QoS 1 and up to {@link #WINDOW} in flight; on a lost
     * connection it reconnects (retrying until the gateway answers) and resends, in order, every
     * message from the first one without a PUBACK. A fresh Paho client with a clean session per
     * connection, so Paho itself resends nothing.
     */
    private final class Device {

        final String id;
        final int port;
        final String topic;
        /** Per sequence: 0 = no PUBACK yet, else 1 + the gateway lifetime that acknowledged it first. */
        final AtomicIntegerArray ackedBy = new AtomicIntegerArray(MESSAGES);
        final AtomicInteger ackedCount = new AtomicInteger();
        final AtomicInteger resent = new AtomicInteger();
        final boolean[] sent = new boolean[MESSAGES];
        /** PUBACKs of all devices. */
        final AtomicInteger total;

        Device(String id, int port, AtomicInteger total) {
            this.id = id;
            this.port = port;
            this.total = total;
            this.topic = "dt/" + id + "/telemetry";
        }

        /** The sequence numbers acknowledged in {@code inLifetime} (-1: in any). */
        Set<Integer> ackedIn(int inLifetime) {
            Set<Integer> result = new HashSet<>();
            for (int seq = 0; seq < MESSAGES; seq++) {
                int by = ackedBy.get(seq);
                if (by != 0 && (inLifetime < 0 || by - 1 == inLifetime)) {
                    result.add(seq);
                }
            }
            return result;
        }

        private int firstUnacknowledged() {
            for (int seq = 0; seq < MESSAGES; seq++) {
                if (ackedBy.get(seq) == 0) {
                    return seq;
                }
            }
            return MESSAGES;
        }

        void run() throws Exception {
            long deadline = System.nanoTime() + DEVICE_DEADLINE.toNanos();
            int connections = 0;
            while (ackedCount.get() < MESSAGES) {
                int from = firstUnacknowledged();
                Connection connection = connect(deadline);
                connections++;
                try {
                    for (int seq = from; seq < MESSAGES && !connection.lost; seq++) {
                        if (ackedBy.get(seq) != 0) {
                            continue;
                        }
                        if (!connection.acquireSlot(deadline)) {
                            break;
                        }
                        if (sent[seq]) {
                            resent.incrementAndGet();
                        }
                        sent[seq] = true;
                        connection.publish(seq);
                    }
                    while (ackedCount.get() < MESSAGES && !connection.lost) {
                        checkDeadline(deadline, "waiting for the last PUBACKs");
                        Thread.sleep(2);
                    }
                } finally {
                    connection.close(ackedCount.get() == MESSAGES && !connection.lost);
                }
            }
            log.debug("{} done after {} connections, {} resent", id, connections, resent.get());
        }

        private Connection connect(long deadline) throws Exception {
            while (true) {
                Connection connection = new Connection();
                try {
                    connection.client.connect(connection.options).waitForCompletion(5_000);
                    return connection;
                } catch (MqttException e) {
                    connection.close(false);
                    checkDeadline(deadline, "connecting: " + e);
                    Thread.sleep(100);
                }
            }
        }

        private void checkDeadline(long deadline, String what) throws TimeoutException {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(id + ": " + what + " after " + DEVICE_DEADLINE + "; acknowledged "
                        + ackedCount.get() + "/" + MESSAGES + ", first unacknowledged " + firstUnacknowledged());
            }
        }

        /** One MQTT connection of this device. */
        private final class Connection implements MqttCallback {

            final MqttAsyncClient client;
            final MqttConnectOptions options = new MqttConnectOptions();
            final Semaphore slots = new Semaphore(WINDOW);
            /** The gateway lifetime this connection was made in: its PUBACKs come from that process. */
            final int servedBy = lifetime;
            volatile boolean lost;

            Connection() throws MqttException {
                client = new MqttAsyncClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
                client.setCallback(this);
                options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
                options.setCleanSession(true);
                options.setAutomaticReconnect(false);
                options.setConnectionTimeout(5);
                options.setKeepAliveInterval(30);
                // Paho frees its own in-flight slot a little after completing the token: more than
                // the window, so our semaphore is what limits.
                options.setMaxInflight(WINDOW * 4);
            }

            boolean acquireSlot(long deadline) throws Exception {
                while (!lost) {
                    if (slots.tryAcquire(20, TimeUnit.MILLISECONDS)) {
                        return true;
                    }
                    checkDeadline(deadline, "waiting for a free slot in the window");
                }
                return false;
            }

            void publish(int seq) throws InterruptedException {
                IMqttActionListener listener = new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        if (ackedBy.compareAndSet(seq, 0, servedBy + 1)) {
                            ackedCount.incrementAndGet();
                            total.incrementAndGet();
                        }
                        slots.release();
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable failure) {
                        lost = true;
                        slots.release();
                    }
                };
                while (true) {
                    try {
                        IMqttDeliveryToken ignored = client.publish(topic, Fleet.payload(id, seq), 1, false, null, listener);
                        return;
                    } catch (MqttException e) {
                        if (e.getReasonCode() == MqttException.REASON_CODE_MAX_INFLIGHT && !lost) {
                            Thread.sleep(1);
                            continue;
                        }
                        lost = true;
                        slots.release();
                        return;
                    }
                }
            }

            @Override
            public void connectionLost(Throwable cause) {
                lost = true;
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }

            void close(boolean gracefully) {
                try {
                    if (gracefully && client.isConnected()) {
                        client.disconnect(1_000).waitForCompletion(2_000);
                    } else {
                        client.disconnectForcibly(0, 100, false);
                    }
                } catch (MqttException ignored) {
                    // Gone already.
                }
                try {
                    client.close(true);
                } catch (MqttException ignored) {
                    // Closing a client that never connected.
                }
            }
        }
    }

    /**
     * What reached the file sink, read tolerating an incomplete last line per file (a line cut by
     * the kill, or one being written while we read): such a line is counted, not parsed.
     */
    private record SinkRead(Map<String, List<Integer>> sequences, int lines, int distinctMessages,
                            int sameIdDuplicates, int tornLines) {

        static SinkRead await(Path sinkDir, Map<String, Set<Integer>> expected, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                SinkRead read = read(sinkDir);
                boolean complete = expected.entrySet().stream().allMatch(e ->
                        new HashSet<>(read.sequences.getOrDefault(e.getKey(), List.of())).containsAll(e.getValue()));
                if (complete || System.nanoTime() > deadline) {
                    return read;
                }
                Thread.sleep(200);
            }
        }

        static SinkRead read(Path sinkDir) throws IOException {
            Map<String, List<Integer>> sequences = new LinkedHashMap<>();
            Set<String> ids = new HashSet<>();
            Set<String> messages = new HashSet<>();
            int lines = 0;
            int sameId = 0;
            int torn = 0;
            if (!Files.isDirectory(sinkDir)) {
                return new SinkRead(sequences, 0, 0, 0, 0);
            }
            List<Path> files;
            try (var list = Files.list(sinkDir)) {
                files = list.filter(f -> f.toString().endsWith(".ndjson")).sorted().toList();
            }
            for (int f = 0; f < files.size(); f++) {
                String text = Files.readString(files.get(f), StandardCharsets.UTF_8);
                int start = 0;
                while (start < text.length()) {
                    int end = text.indexOf('\n', start);
                    if (end < 0) {
                        // No newline: cut by the kill (an older file) or being written (the newest).
                        if (f < files.size() - 1) {
                            torn++;
                            log.warn("incomplete last line in {} ({} bytes): {}", files.get(f).getFileName(),
                                    text.length() - start, text.substring(start, Math.min(text.length(), start + 120)));
                        }
                        break;
                    }
                    String line = text.substring(start, end);
                    start = end + 1;
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode node = JSON.readTree(line);
                    lines++;
                    if (!ids.add(node.path("id").asText())) {
                        sameId++;
                    }
                    String clientId = node.path("clientId").asText();
                    int seq = node.path("payload").path("seq").asInt(-1);
                    messages.add(clientId + "/" + seq);
                    sequences.computeIfAbsent(clientId, k -> new ArrayList<>()).add(seq);
                }
            }
            return new SinkRead(sequences, lines, messages.size(), sameId, torn);
        }
    }

    /** {@code bin/tidegate run} as a separate process, its output collected, its ports read from the banner. */
    private static final class GatewayProcess {

        private static final Pattern LISTENER = Pattern.compile("^\\s+(mqtts?|admin)\\s+(?:http://)?([^\\s/]+):(\\d+)");

        final Process process;
        final Path dataDir;
        final List<String> stdout = new CopyOnWriteArrayList<>();
        final List<String> stderr = new CopyOnWriteArrayList<>();
        private final List<Thread> readers = new ArrayList<>();

        private GatewayProcess(Process process, Path dataDir) {
            this.process = process;
            this.dataDir = dataDir;
        }

        static GatewayProcess start(Path dataDir, Map<String, String> environment) throws Exception {
            ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "run", "--data-dir", dataDir.toString());
            Map<String, String> env = builder.environment();
            // The plain listener carries the load; without the TLS listener the gateway starts faster.
            env.put("TIDEGATE_LISTENERS_MQTTS_ENABLED", "false");
            env.putAll(environment);
            GatewayProcess gateway = new GatewayProcess(builder.start(), dataDir);
            gateway.readers.add(collect(gateway.process.getInputStream(), gateway.stdout));
            gateway.readers.add(collect(gateway.process.getErrorStream(), gateway.stderr));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (gateway.stdout.stream().noneMatch(l -> l.startsWith("Stop with")) && System.nanoTime() < deadline) {
                assertThat(gateway.process.isAlive()).as("gateway died; stderr:%n%s", gateway.stderrText()).isTrue();
                Thread.sleep(20);
            }
            assertThat(gateway.stdout).as("banner; stderr:%n%s", gateway.stderrText())
                    .anyMatch(l -> l.startsWith("Stop with"));
            return gateway;
        }

        int port(String listener) {
            for (String line : stdout) {
                Matcher m = LISTENER.matcher(line);
                if (m.find() && m.group(1).equals(listener)) {
                    return Integer.parseInt(m.group(3));
                }
            }
            throw new AssertionError("no " + listener + " line in the banner: " + stdout);
        }

        Path sinkDir() {
            return dataDir.resolve("sink").resolve("file");
        }

        String stderrText() {
            return String.join("\n", stderr);
        }

        /** SIGTERM with kill(1): {@link Process#destroy()} would also close our end of its output pipes. */
        void sigterm() throws Exception {
            assertThat(runToEnd(List.of("kill", "-TERM", Long.toString(process.pid())), new ArrayList<>())).isZero();
        }

        /** After the process ended: waits (bounded) for the reader threads to copy its last lines. */
        void drainOutput() throws InterruptedException {
            for (Thread reader : readers) {
                reader.join(5_000);
            }
        }

        private static Thread collect(InputStream stream, List<String> into) {
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        into.add(line);
                    }
                } catch (IOException ignored) {
                    // The process ended.
                }
            }, "gateway-output");
            reader.setDaemon(true);
            reader.start();
            return reader;
        }

        static int runToEnd(List<String> command, List<String> output) throws Exception {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            output.addAll(text.lines().toList());
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command.get(0)).isTrue();
            return p.exitValue();
        }
    }
}
