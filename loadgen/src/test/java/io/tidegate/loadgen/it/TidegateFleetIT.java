package io.tidegate.loadgen.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidegate.loadgen.cli.LoadgenCliAccess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Fleets against a real in-process Tidegate, checked end to end with verify on its file sink. */
class TidegateFleetIT {

    @TempDir
    Path dir;

    private InProcessGateway gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = new InProcessGateway(dir.resolve("data"));
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void mutualTlsFleetWithPerDeviceCertificatesLosesNothing() throws Exception {
        Path json = dir.resolve("report.json");
        Path html = dir.resolve("report.html");

        LoadgenCliAccess.Result run = LoadgenCliAccess.run("run", "--quiet", "--broker", gateway.mqttsUrl(),
                "--ca", gateway.caCert().toString(),
                "--device-ca-cert", gateway.caCert().toString(), "--device-ca-key", gateway.caKey().toString(),
                "--devices", "50", "--messages", "100", "--rate", "0", "--qos", "1", "--payload-size", "200",
                "--json", json.toString(), "--html", html.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        JsonNode report = Reports.read(json);
        assertThat(report.at("/counts/peakConnected").asLong()).isEqualTo(50);
        assertThat(report.at("/counts/sent").asLong()).isEqualTo(5_000);
        assertThat(report.at("/counts/acked").asLong()).isEqualTo(5_000);
        assertThat(report.at("/counts/errors").asLong()).isZero();
        assertThat(report.at("/counts/payloadBytes").asLong()).isEqualTo(5_000 * 200);
        assertThat(report.at("/ackLatency/count").asLong()).isEqualTo(5_000);
        assertThat(report.at("/connectLatency/count").asLong()).isEqualTo(50);
        assertThat(html).isNotEmptyFile();

        LoadgenCliAccess.Result verify = Reports.verifyEventually(Duration.ofSeconds(20), "verify",
                "--source", "file:" + gateway.sinkDir(), "--expect-devices", "50", "--expect-messages", "100");
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains("5,000 records", "missing    0", "PASS");
    }

    @Test
    void pacedMqtt5QoS2FleetIsDeliveredToTheSubscriber() throws Exception {
        Path json = dir.resolve("report.json");

        LoadgenCliAccess.Result run = LoadgenCliAccess.run("run", "--quiet", "--broker", gateway.mqttUrl(),
                "--mqtt-version", "5", "--qos", "2", "--devices", "20", "--rate", "20", "--messages", "30",
                "--subscribe", "--json", json.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        JsonNode report = Reports.read(json);
        assertThat(report.at("/counts/acked").asLong()).isEqualTo(600);
        assertThat(report.at("/counts/delivered").asLong()).isEqualTo(600);
        assertThat(report.at("/deliveryLatency/count").asLong()).isEqualTo(600);
        assertThat(report.get("latencyFromIntendedSendTime").asBoolean()).isTrue();
        assertThat(run.out()).contains("publish→delivery*");
    }

    @Test
    void refusedPublishesAreCountedAsErrorsByReasonCode() throws Exception {
        Path json = dir.resolve("report.json");

        // The device policy allows dt/<own id>/#: another topic gets PUBACK 0x87 (not authorized) in MQTT 5.
        LoadgenCliAccess.Result run = LoadgenCliAccess.run("run", "--quiet", "--broker", gateway.mqttsUrl(),
                "--ca", gateway.caCert().toString(),
                "--device-ca-cert", gateway.caCert().toString(), "--device-ca-key", gateway.caKey().toString(),
                "--mqtt-version", "5", "--topic", "elsewhere/{device}", "--devices", "3", "--messages", "5",
                "--rate", "0", "--json", json.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        JsonNode report = Reports.read(json);
        assertThat(report.at("/counts/acked").asLong()).isZero();
        assertThat(report.at("/errors/puback 0x87").asLong()).isEqualTo(15);
        assertThat(run.out()).contains("puback 0x87");
    }

    @Test
    void aBadScenarioExitsWithTwoAndNamesTheField() {
        LoadgenCliAccess.Result run = LoadgenCliAccess.run("run", "--broker", gateway.mqttUrl(), "--qos", "3");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("qos: 3");
    }
}
