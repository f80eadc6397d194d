package io.tidegate.it;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.tidegate.cli.TidegateCli;
import io.tidegate.security.certs.DeviceFiles;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Store-and-forward under a full outbox and with dead letters, end to end: devices publish over MQTT
 * to a real gateway whose destination is IoT Core's stand-in (Mosquitto with mutual TLS, persistent,
 * so the upstream reader's session survives the broker's outage).
 */
class StoreAndForwardIT {

    private static final int DEVICES = 20;
    private static final int MESSAGES = 1000;
    private static final long ONE_MIB = 1024 * 1024;

    @TempDir
    Path dir;

    @RegisterExtension
    final Cleanup toClose = new Cleanup();

    @Test
    void aFullOutboxWithBackpressureSlowsPublishersAndLosesNothing() throws Exception {
        MosquittoIotCore broker = broker();
        UpstreamReader reader = reader(broker);
        TestGateway gateway = gateway(broker, "backpressure");
        AwsIt.until("connected", () -> gauge(gateway, "tidegate.iotcore.connections") == 20);
        broker.stop();

        CompletableFuture<Void> publishing = publishAsync(gateway, "pump");
        AwsIt.until("ingest held back", () -> counter(gateway, "tidegate.ingest.backpressure", null) > 0);
        assertThat(publishing).as("publishers wait for their PUBACKs").isNotDone();
        assertThat(gauge(gateway, "tidegate.outbox.full")).isEqualTo(1);
        // What the ring held when the outbox filled up is stored too: a bounded overshoot.
        assertThat(gauge(gateway, "tidegate.outbox.backlog.bytes")).isBetween((double) ONE_MIB, 2.0 * ONE_MIB);
        assertThat(gateway.gateway().status().toString()).contains("outboxFull=max-bytes");

        broker.restart();
        publishing.get(90, TimeUnit.SECONDS);
        AwsIt.until("all upstream", () -> reader.distinct() >= DEVICES * MESSAGES);
        assertThat(reader.distinct()).isEqualTo(DEVICES * MESSAGES);
        reader.sequencesByDevice().forEach((device, seqs) ->
                assertThat(seqs.stream().distinct().toList()).as(device).hasSize(MESSAGES).isSorted());
        assertThat(counter(gateway, "tidegate.outbox.dropped", null)).isZero();
    }

    @Test
    void aFullOutboxWithDropOldestDropsExactlyWhatIsMissingUpstream() throws Exception {
        MosquittoIotCore broker = broker();
        UpstreamReader reader = reader(broker);
        TestGateway gateway = gateway(broker, "drop-oldest");
        AwsIt.until("connected", () -> gauge(gateway, "tidegate.iotcore.connections") == 20);
        broker.stop();

        publishAsync(gateway, "skip").get(90, TimeUnit.SECONDS);
        AwsIt.until("oldest dropped", () -> gauge(gateway, "tidegate.outbox.backlog.bytes") <= ONE_MIB
                && counter(gateway, "tidegate.outbox.dropped", "max-bytes") > 0);
        assertThat(counter(gateway, "tidegate.ingest.backpressure", null)).as("ingest never held back").isZero();

        broker.restart();
        AwsIt.until("everything forwarded or dropped", () -> counter(gateway, "tidegate.forwarded.messages", null)
                + counter(gateway, "tidegate.outbox.dropped", null) >= DEVICES * MESSAGES);
        long dropped = (long) counter(gateway, "tidegate.outbox.dropped", "max-bytes");
        AwsIt.until("the rest upstream", () -> reader.distinct() >= DEVICES * MESSAGES - dropped);
        assertThat(reader.distinct()).as("missing upstream = counted as dropped").isEqualTo(DEVICES * MESSAGES - dropped);
        assertThat(reader.count()).as("no duplicates").isEqualTo(reader.distinct());
        reader.sequencesByDevice().forEach((device, seqs) -> assertThat(seqs).as(device).isSorted());
    }

    @Test
    void deadLettersAreReplayedOnceTheCauseIsFixed() throws Exception {
        MosquittoIotCore broker = broker();
        UpstreamReader reader = reader(broker);
        TestGateway gateway = gateway(broker, "backpressure");
        for (int i = 1; i <= 3; i++) {
            publishTo(gateway.mqttPort(), "forbidden/van-" + i, "held back by the policy " + i);
        }
        publishTo(gateway.mqttPort(), "dt/van-9/telemetry", "allowed");
        AwsIt.awaitForwarded(gateway.gateway(), "cloud", 4);
        assertThat(counter(gateway, "tidegate.forward.rejects", null)).isEqualTo(3);
        assertThat(AwsIt.dump(dir.resolve("tidegate.yaml"), gateway.dataDir(), "deadletter/cloud")).hasSize(3);

        broker.allow("forbidden/#");
        broker.restart();
        assertThat(replay(gateway)).isEqualTo("replayed 3 entries from deadletter/cloud to cloud");

        AwsIt.until("the replayed messages upstream", () -> reader.payloads().size() >= 4);
        assertThat(reader.payloads()).containsExactlyInAnyOrder("allowed", "held back by the policy 1",
                "held back by the policy 2", "held back by the policy 3");
        assertThat(reader.topics()).contains("forbidden/van-1", "forbidden/van-2", "forbidden/van-3");
        assertThat(counter(gateway, "tidegate.forward.rejects", null)).isEqualTo(3);
        assertThat(replay(gateway)).as("nothing twice").isEqualTo("replayed 0 entries from deadletter/cloud to cloud");
    }

    // ---- helpers ----

    private MosquittoIotCore broker() throws Exception {
        MosquittoIotCore broker = MosquittoIotCore.start(dir.resolve("broker"), true);
        toClose.add(broker);
        return broker;
    }

    private UpstreamReader reader(MosquittoIotCore broker) throws Exception {
        UpstreamReader reader = new UpstreamReader(broker, "#", false);
        toClose.add(reader);
        return reader;
    }

    private TestGateway gateway(MosquittoIotCore broker, String overflow) throws Exception {
        DeviceFiles cert = broker.client("tidegate-gateway");
        Path config = AwsIt.config(dir, "cloud", """
                    type: iotcore
                    batch: {lingerMs: 5}
                    outbox: {maxBytes: %d, overflow: %s}
                    iotcore:
                      endpoint: localhost
                      port: %d
                      certificate: %s
                      privateKey: %s
                      caCertificate: %s
                      clientIdPrefix: gw
                      connections: 20
                """.formatted(ONE_MIB, overflow, broker.port(), cert.certificate(), cert.privateKey(),
                broker.caCert()));
        TestGateway gateway = TestGateway.startWithConfig(dir.resolve("data"), config);
        toClose.add(gateway);
        return gateway;
    }

    private static CompletableFuture<Void> publishAsync(TestGateway gateway, String prefix) {
        return CompletableFuture.runAsync(() -> {
            try {
                Fleet.publish(gateway.mqttPort(), prefix, DEVICES, MESSAGES);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void publishTo(int port, String topic, String payload) throws Exception {
        try (MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, "van-1", new MemoryPersistence())) {
            client.connect();
            client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
            client.disconnect();
        }
    }

    private String replay(TestGateway gateway) {
        StringWriter out = new StringWriter();
        var cli = TidegateCli.commandLine();
        cli.setOut(new PrintWriter(out));
        int exit = cli.execute("outbox", "replay", "deadletter/cloud", "--to", "cloud", "--config",
                dir.resolve("tidegate.yaml").toString(), "--data-dir", gateway.dataDir().toString());
        assertThat(exit).isZero();
        return out.toString().strip();
    }

    private static double gauge(TestGateway gateway, String name) {
        Gauge gauge = gateway.gateway().registry().find(name).tag("destination", "cloud").gauge();
        return gauge == null ? -1 : gauge.value();
    }

    /** The sum of the counters called {@code name} (of any tags, or with this {@code reason}). */
    private static double counter(TestGateway gateway, String name, String reason) {
        var search = gateway.gateway().registry().find(name);
        if (reason != null) {
            search = search.tag("reason", reason);
        }
        return search.counters().stream().mapToDouble(Counter::count).sum();
    }
}
