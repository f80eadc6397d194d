package io.tidegate.loadgen.it;

import com.google.protobuf.ByteString;
import io.tidegate.loadgen.cli.LoadgenCliAccess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.kinesis.retrieval.AggregatorUtil;
import software.amazon.kinesis.retrieval.kpl.Messages;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * verify --source kinesis: against kinesalite (npm), with plain records and a KPL-aggregated one.
 * kinesalite is found through KINESALITE_CLI or node_modules/kinesalite/cli.js in the repository root
 * ({@code npm install kinesalite@3.3.3}); without it the test is skipped.
 */
class KinesisSourceIT {

    private static final String STREAM = "telemetry";

    private static Process kinesalite;
    private static KinesisClient client;
    private static String endpoint;

    private static final Path INSTALL = Path.of("target", "kinesalite");

    static Optional<Path> kinesaliteCli() {
        return Stream.of(System.getenv("KINESALITE_CLI"), "../node_modules/kinesalite/cli.js",
                        "node_modules/kinesalite/cli.js", INSTALL.resolve("node_modules/kinesalite/cli.js").toString())
                .filter(p -> p != null && !p.isBlank()).map(Path::of).filter(Files::isRegularFile).findFirst();
    }

    /** kinesalite found, or installed with npm into {@code target/kinesalite}: the test never skips silently. */
    private static Path installedKinesalite() throws IOException, InterruptedException {
        Optional<Path> found = kinesaliteCli();
        if (found.isPresent()) {
            return found.get();
        }
        Files.createDirectories(INSTALL);
        Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--prefix", INSTALL.toString(),
                "kinesalite@3.3.3").redirectErrorStream(true).redirectOutput(INSTALL.resolve("npm.log").toFile()).start();
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            throw new IllegalStateException("npm install kinesalite@3.3.3 failed; see " + INSTALL.resolve("npm.log"));
        }
        return kinesaliteCli().orElseThrow(() -> new IllegalStateException("kinesalite not found after npm install"));
    }

    @BeforeAll
    static void startKinesalite() throws Exception {
        Optional<Path> cli = Optional.of(installedKinesalite());
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        kinesalite = new ProcessBuilder("node", cli.get().toString(), "--port", Integer.toString(port),
                "--createStreamMs", "50", "--deleteStreamMs", "50").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        awaitListening(port);
        endpoint = "http://localhost:" + port;
        client = KinesisClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build();
        client.createStream(b -> b.streamName(STREAM).shardCount(2));
        while (client.describeStreamSummary(b -> b.streamName(STREAM)).streamDescriptionSummary().streamStatus()
                != StreamStatus.ACTIVE) {
            Thread.sleep(50);
        }
        // device-1: bare payloads, 1..20 without 5.
        for (int seq = 1; seq <= 20; seq++) {
            if (seq != 5) {
                put("device-1", "{\"device\":\"device-1\",\"seq\":" + seq + "}");
            }
        }
        // device-2: file-sink-shaped lines, 1..20 with 9 twice.
        for (int seq = 1; seq <= 20; seq++) {
            put("device-2", "{\"clientId\":\"device-2\",\"topic\":\"dt/device-2/telemetry\",\"payload\":{\"seq\":" + seq + "}}");
        }
        put("device-2", "{\"clientId\":\"device-2\",\"payload\":{\"seq\":9}}");
        // device-3: 20 messages in one KPL-aggregated record.
        Messages.AggregatedRecord.Builder aggregated = Messages.AggregatedRecord.newBuilder().addPartitionKeyTable("device-3");
        for (int seq = 1; seq <= 20; seq++) {
            aggregated.addRecords(Messages.Record.newBuilder().setPartitionKeyIndex(0)
                    .setData(ByteString.copyFromUtf8("{\"device\":\"device-3\",\"seq\":" + seq + "}")));
        }
        byte[] body = aggregated.build().toByteArray();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(AggregatorUtil.AGGREGATED_RECORD_MAGIC);
        record.write(body);
        record.write(MessageDigest.getInstance("MD5").digest(body));
        client.putRecord(b -> b.streamName(STREAM).partitionKey("device-3").data(SdkBytes.fromByteArray(record.toByteArray())));
    }

    private static void put(String partitionKey, String json) {
        client.putRecord(b -> b.streamName(STREAM).partitionKey(partitionKey)
                .data(SdkBytes.fromString(json, StandardCharsets.UTF_8)));
    }

    private static void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("kinesalite did not listen on " + port);
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (kinesalite != null) {
            kinesalite.destroy();
            kinesalite.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void readsEveryShardAndDeaggregatesKplRecords() {
        LoadgenCliAccess.Result result = LoadgenCliAccess.run("verify", "--source", "kinesis:" + STREAM,
                "--endpoint", endpoint, "--expect-devices", "3", "--expect-messages", "20");

        assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(1);
        assertThat(result.out()).contains("60 records, 3 devices, 60 expected messages", "missing    1\n", "duplicated 1\n",
                "device-1: received 19, highest seq 20, missing 1 [5]", "device-2: received 21, highest seq 20, duplicated 1 (e.g. [9])");
        assertThat(result.out()).doesNotContain("device-3:");
    }

    @Test
    void anUnknownStreamIsAnErrorNotAVerdict() {
        LoadgenCliAccess.Result result = LoadgenCliAccess.run("verify", "--source", "kinesis:nope", "--endpoint", endpoint);

        assertThat(result.exitCode()).isEqualTo(2);
    }
}
