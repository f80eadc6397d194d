package io.tidegate.loadgen.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidegate.loadgen.cli.LoadgenCliAccess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The same load generator against Debian's Mosquitto: the tool works with any broker, not just Tidegate. */
class MosquittoFleetIT {

    @TempDir
    Path dir;

    private MosquittoBroker broker;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Files.isExecutable(MosquittoBroker.BINARY),
                "skipped: /usr/sbin/mosquitto is not installed (apt-get install -y mosquitto)");
        broker = new MosquittoBroker(dir);
    }

    @AfterEach
    void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void mutualTlsFleetWithPerDeviceCertificatesIsAcknowledgedAndDelivered() throws Exception {
        Path json = dir.resolve("report.json");

        LoadgenCliAccess.Result run = LoadgenCliAccess.run("run", "--quiet", "--broker", broker.tlsUrl(),
                "--ca", broker.caCert().toString(),
                "--device-ca-cert", broker.caCert().toString(), "--device-ca-key", broker.caKey().toString(),
                "--devices", "20", "--messages", "50", "--rate", "0", "--qos", "1",
                "--subscribe", "--subscribe-broker", broker.plainUrl(), "--json", json.toString());

        assertThat(run.exitCode()).as(run.out() + run.err() + broker.log()).isZero();
        JsonNode report = Reports.read(json);
        assertThat(report.at("/counts/acked").asLong()).isEqualTo(1_000);
        assertThat(report.at("/counts/delivered").asLong()).isEqualTo(1_000);
        // Mosquitto saw each device under its own certificate's name.
        assertThat(broker.log()).contains("as device-1 ", "as device-20 ");
    }

    @Test
    void mqtt5QoS2IsCompleted() throws Exception {
        Path json = dir.resolve("report.json");

        LoadgenCliAccess.Result run = LoadgenCliAccess.run("run", "--quiet", "--broker", broker.plainUrl(),
                "--mqtt-version", "5", "--qos", "2", "--devices", "10", "--messages", "40", "--rate", "0",
                "--in-flight", "4", "--json", json.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        JsonNode report = Reports.read(json);
        assertThat(report.at("/counts/acked").asLong()).isEqualTo(400);
        assertThat(report.at("/counts/unacknowledged").asLong()).isZero();
    }

    @Test
    void pacedQoS0RunEndsAtItsDuration() throws Exception {
        Path json = dir.resolve("report.json");

        LoadgenCliAccess.Result run = LoadgenCliAccess.run("run", "--quiet", "--broker", broker.plainUrl(),
                "--qos", "0", "--devices", "10", "--rate", "10", "--duration", "2s", "--subscribe",
                "--json", json.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        JsonNode report = Reports.read(json);
        // 10 devices at 10/s for about 2 s, less the connect time.
        assertThat(report.at("/counts/sent").asLong()).isBetween(120L, 220L);
        assertThat(report.at("/counts/delivered").asLong()).isEqualTo(report.at("/counts/sent").asLong());
        assertThat(report.get("durationSeconds").asDouble()).isLessThan(6);
    }

    @Test
    void aRefusedConnectionIsCountedNotFatal() throws Exception {
        Path json = dir.resolve("report.json");

        // Without a client certificate the mutual-TLS listener refuses every handshake.
        LoadgenCliAccess.Result run = LoadgenCliAccess.run("run", "--quiet", "--broker", broker.tlsUrl(),
                "--ca", broker.caCert().toString(), "--devices", "3", "--messages", "1", "--json", json.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        JsonNode report = Reports.read(json);
        assertThat(report.at("/counts/errors").asLong()).isEqualTo(3);
        assertThat(report.at("/counts/peakConnected").asLong()).isZero();
    }
}
