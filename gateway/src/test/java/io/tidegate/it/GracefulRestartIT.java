package io.tidegate.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidegate.security.certs.DeviceFiles;
import io.tidegate.security.certs.DevicePkiFiles;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * A graceful restart of the gateway in the middle of QoS 1 load: devices reconnect and resend what
 * was not acknowledged, and every message ends up in the sink exactly once, in order per device.
 *
 * <p>Why none can be there twice: the stop pauses every socket, drains the ring (each message read
 * is stored, and its PUBACK queued to the device's event loop), and only then disconnects each
 * device from that same event loop, after the PUBACKs queued before. So a device that sees no
 * PUBACK for a message is one whose message was never stored, and its resend is the only copy.
 * The file forwarder delivers its whole backlog and commits its position before the outboxes
 * close, so the restarted one sends nothing again. (Each device here has one publish outstanding;
 * a forwarder that cannot finish within its 10 s stop timeout could send its batch in flight again.)
 */
class GracefulRestartIT {

    private static final Logger log = LoggerFactory.getLogger(GracefulRestartIT.class);
    private static final int DEVICES = 20;
    private static final int MESSAGES = 1_000;

    @TempDir
    Path dataDir;

    @Test
    @DisplayName("a graceful restart under 20 × 1,000 QoS 1 load loses nothing, duplicates nothing, keeps per-device order")
    void restartUnderLoadLosesNothing() throws Exception {
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicInteger resent = new AtomicInteger();
        try (TestGateway gateway = TestGateway.start(dataDir)) {
            DevicePkiFiles pki = gateway.devices(DEVICES, "dev");
            int port = gateway.mqttsPort();
            ExecutorService pool = Executors.newFixedThreadPool(DEVICES);
            try {
                List<Future<?>> runs = new ArrayList<>();
                for (Map.Entry<String, DeviceFiles> device : pki.devices().entrySet()) {
                    ClientTls tls = ClientTls.of(gateway.caCert(), device.getValue());
                    runs.add(pool.submit(() -> {
                        publishResiliently(device.getKey(), port, tls, acknowledged, resent);
                        return null;
                    }));
                }
                awaitAtLeast(acknowledged, DEVICES * MESSAGES / 3, Duration.ofSeconds(60));
                log.info("restarting the gateway after {} acknowledgements", acknowledged.get());
                gateway.restart();
                for (Future<?> run : runs) {
                    run.get(180, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(acknowledged.get()).isEqualTo(DEVICES * MESSAGES);

            List<JsonNode> lines = SinkLines.awaitLines(gateway.sinkDir(),
                    l -> SinkLines.sequencesByClient(l).values().stream()
                            .mapToLong(s -> s.stream().distinct().count()).sum() >= DEVICES * MESSAGES,
                    Duration.ofSeconds(30));
            Map<String, List<Integer>> byDevice = SinkLines.sequencesByClient(lines);
            List<Integer> expected = IntStream.range(0, MESSAGES).boxed().toList();
            int duplicates = 0;
            for (String device : pki.devices().keySet()) {
                List<Integer> sequence = byDevice.get(device);
                List<Integer> withoutRepeats = withoutAdjacentRepeats(sequence);
                duplicates += sequence.size() - withoutRepeats.size();
                assertThat(withoutRepeats).as("sequence of %s", device).containsExactlyElementsOf(expected);
            }
            log.info("restart: {} messages resent by clients, {} duplicates in the sink", resent.get(), duplicates);
            assertThat(resent.get()).as("publishes the restart cut off, resent by their devices").isPositive();
            assertThat(duplicates).as("messages in the sink twice").isZero();
            assertThat(lines).as("sink lines").hasSize(DEVICES * MESSAGES);
        }
    }

    /** Publishes 0..MESSAGES-1; when the connection drops, reconnects and resends the unacknowledged message. */
    private static void publishResiliently(String id, int port, ClientTls tls, AtomicInteger acknowledged,
                                           AtomicInteger resent) throws Exception {
        PahoV3Client client = new PahoV3Client(id, port, tls);
        try {
            connectWithRetry(client);
            for (int seq = 0; seq < MESSAGES; seq++) {
                while (true) {
                    try {
                        client.publish(seq);
                        acknowledged.incrementAndGet();
                        break;
                    } catch (Exception e) {
                        resent.incrementAndGet();
                        client.close();
                        client = new PahoV3Client(id, port, tls);
                        connectWithRetry(client);
                    }
                }
            }
        } finally {
            client.close();
        }
    }

    private static void connectWithRetry(PahoV3Client client) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                client.connect();
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static void awaitAtLeast(AtomicInteger counter, int target, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (counter.get() < target && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(counter.get()).as("acknowledged before restart").isGreaterThanOrEqualTo(target);
    }

    private static List<Integer> withoutAdjacentRepeats(List<Integer> sequence) {
        List<Integer> result = new ArrayList<>();
        for (Integer seq : sequence) {
            if (result.isEmpty() || !result.get(result.size() - 1).equals(seq)) {
                result.add(seq);
            }
        }
        return result;
    }
}
