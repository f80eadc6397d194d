package io.tidegate.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidegate.security.certs.DeviceFiles;
import io.tidegate.security.certs.DevicePkiFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real MQTT clients (Paho 3.1.1, Paho 5, HiveMQ 5) over mutual TLS with per-device certificates
 * against a real gateway: every acknowledged message reaches the file sink once and in order.
 */
class RealClientsIT {

    private static final int DEVICES = 20;
    private static final int MESSAGES = 1_000;

    @TempDir
    Path dataDir;

    private TestGateway gateway;
    private final List<DeviceClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        gateway = TestGateway.start(dataDir);
    }

    @AfterEach
    void stop() throws Exception {
        for (DeviceClient client : clients) {
            try {
                client.close();
            } catch (Exception ignored) {
                // The test is over; a client already cut off by the test is fine.
            }
        }
        gateway.close();
    }

    @Test
    @DisplayName("20 devices × 1,000 QoS 1 messages over mutual TLS: each in the sink once, in order per device")
    void everyAcknowledgedMessageIsInTheSinkOnceInOrder() throws Exception {
        DevicePkiFiles pki = gateway.devices(DEVICES, "dev");
        int port = gateway.mqttsPort();
        int i = 0;
        for (Map.Entry<String, DeviceFiles> device : pki.devices().entrySet()) {
            ClientTls tls = ClientTls.of(gateway.caCert(), device.getValue());
            DeviceClient client = switch (i++ % 3) {
                case 0 -> new PahoV3Client(device.getKey(), port, tls);
                case 1 -> new PahoV5Client(device.getKey(), port, tls);
                default -> new HiveMqClient(device.getKey(), port, tls);
            };
            clients.add(client);
        }

        AtomicInteger acknowledged = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(DEVICES);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (DeviceClient client : clients) {
                runs.add(pool.submit(() -> {
                    client.connect();
                    client.publishAll(0, MESSAGES - 1);
                    acknowledged.addAndGet(MESSAGES);
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(acknowledged.get()).isEqualTo(DEVICES * MESSAGES);

        List<JsonNode> lines = SinkLines.awaitLines(gateway.sinkDir(), l -> l.size() >= DEVICES * MESSAGES,
                Duration.ofSeconds(30));
        Map<String, List<Integer>> byDevice = SinkLines.sequencesByClient(lines);
        List<Integer> expected = IntStream.range(0, MESSAGES).boxed().toList();
        assertThat(byDevice).hasSize(DEVICES);
        for (DeviceClient client : clients) {
            assertThat(byDevice.get(client.clientId())).as("sequence of %s", client.clientId())
                    .containsExactlyElementsOf(expected);
        }
        assertThat(lines).hasSize(DEVICES * MESSAGES);
        assertThat(lines).allSatisfy(line -> {
            assertThat(line.get("id").asText()).hasSize(36);
            assertThat(line.get("topic").asText()).isEqualTo("dt/" + line.get("clientId").asText() + "/telemetry");
            assertThat(line.get("qos").asInt()).isEqualTo(1);
        });
        assertThat(lines.stream().map(l -> l.get("id").asText()).distinct().count()).isEqualTo(lines.size());
    }
}
