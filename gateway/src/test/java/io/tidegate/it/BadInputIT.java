package io.tidegate.it;

import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.tidegate.cli.TidegateCli;
import io.tidegate.security.certs.CertificateAuthority;
import io.tidegate.security.certs.CertificateRequest;
import io.tidegate.security.certs.DeviceFiles;
import io.tidegate.security.certs.DevelopmentPki;
import io.tidegate.security.certs.IssuedCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bad input over the network and on the command line gets a clear refusal, and the gateway keeps
 * serving well-behaved clients while it happens.
 */
class BadInputIT {

    @TempDir
    Path dataDir;
    @TempDir
    Path scratch;

    private TestGateway gateway;
    private PahoV3Client goodClient;
    private int goodSeq;

    @BeforeEach
    void start() throws Exception {
        gateway = TestGateway.start(dataDir);
        DeviceFiles good = gateway.devices(1, "good").devices().get("good-1");
        goodClient = new PahoV3Client("good-1", gateway.mqttsPort(), ClientTls.of(gateway.caCert(), good));
        goodClient.connect();
    }

    @AfterEach
    void stop() throws Exception {
        // Whatever the bad client did, the good one still gets its messages acknowledged.
        goodClient.publish(goodSeq++);
        goodClient.close();
        gateway.close();
    }

    @Test
    @DisplayName("a client certificate from an unknown CA is refused in the TLS handshake")
    void untrustedCertificateIsRefused() throws Exception {
        CertificateAuthority other = CertificateAuthority.create("Some Other CA", Duration.ofDays(30));
        IssuedCertificate impostor = other.issueClient("good-1", Duration.ofDays(30));
        DeviceFiles files = write(impostor, "impostor");
        PahoV3Client client = new PahoV3Client("good-1", gateway.mqttsPort(), ClientTls.of(gateway.caCert(), files));
        assertThatThrownBy(client::connect).isInstanceOf(Exception.class);
        client.close();
    }

    @Test
    @DisplayName("an expired client certificate is refused in the TLS handshake")
    void expiredCertificateIsRefused() throws Exception {
        Path certs = gateway.certsDir();
        CertificateAuthority ca = CertificateAuthority.load(certs.resolve(DevelopmentPki.CA_CERT),
                certs.resolve(DevelopmentPki.CA_KEY));
        Instant now = Instant.now();
        IssuedCertificate expired = ca.issue(CertificateRequest.client("old-1", Duration.ofDays(1))
                .withValidity(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1))));
        PahoV3Client client = new PahoV3Client("old-1", gateway.mqttsPort(),
                ClientTls.of(gateway.caCert(), write(expired, "old-1")));
        assertThatThrownBy(client::connect).isInstanceOf(Exception.class);
        client.close();
    }

    @Test
    @DisplayName("no client certificate on the mutual-TLS listener is refused")
    void missingCertificateIsRefused() throws Exception {
        PahoV3Client client = new PahoV3Client("nobody", gateway.mqttsPort(), ClientTls.of(gateway.caCert(), null));
        assertThatThrownBy(client::connect).isInstanceOf(Exception.class);
        client.close();
    }

    @Test
    @DisplayName("a client id other than the certificate's identity is refused with CONNACK 0x85")
    void clientIdMustMatchCertificate() throws Exception {
        DeviceFiles device = gateway.devices(1, "dev").devices().get("dev-1");
        PahoV5Client client = new PahoV5Client("someone-else", gateway.mqttsPort(),
                ClientTls.of(gateway.caCert(), device));
        assertThatThrownBy(client::connect)
                .isInstanceOf(org.eclipse.paho.mqttv5.common.MqttException.class)
                .extracting(e -> ((org.eclipse.paho.mqttv5.common.MqttException) e).getReasonCode())
                .isEqualTo(0x85);
        client.close();
    }

    @Test
    @DisplayName("MQTT 5: a publish outside the device's policy gets PUBACK 0x87 and the connection stays up")
    void mqtt5PublishOutsidePolicyIsRefusedWith0x87() throws Exception {
        DeviceFiles device = gateway.devices(1, "dev").devices().get("dev-1");
        HiveMqClient hive = new HiveMqClient("dev-1", gateway.mqttsPort(), ClientTls.of(gateway.caCert(), device));
        hive.connect();
        assertThat(hive.publishTo("dt/dev-2/telemetry", 1)).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        assertThat(hive.publishTo("dt/dev-1/telemetry", 2)).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        hive.close();

        PahoV5Client paho = new PahoV5Client("dev-1", gateway.mqttsPort(), ClientTls.of(gateway.caCert(), device));
        paho.connect();
        assertThat(paho.publishTo("cmd/dev-1/x", 3)).isEqualTo(0x87);
        assertThat(paho.isConnected()).isTrue();
        paho.close();
    }

    @Test
    @DisplayName("MQTT 3.1.1: a publish outside the device's policy closes the connection")
    void mqtt311PublishOutsidePolicyDisconnects() throws Exception {
        DeviceFiles device = gateway.devices(1, "dev").devices().get("dev-1");
        PahoV3Client client = new PahoV3Client("dev-1", gateway.mqttsPort(), ClientTls.of(gateway.caCert(), device));
        client.connect();
        client.publish(0);
        assertThatThrownBy(() -> client.publishTo("dt/dev-2/telemetry", 1)).isInstanceOf(Exception.class);
        assertThat(client.isConnected()).isFalse();
        client.close();
    }

    @Test
    @DisplayName("garbage bytes on the plain listener close that connection only")
    void garbageBytesCloseOnlyThatConnection() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gateway.mqttPort())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {0x10, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F, 1, 2, 3});
            out.flush();
            assertThat(socket.getInputStream().read()).as("server closed the connection").isEqualTo(-1);
        }
    }

    @Test
    @DisplayName("a bad config file stops `tidegate run` with exit code 2 and a message naming the field")
    void badConfigFileIsRejectedWithTheFieldName() throws Exception {
        Path config = scratch.resolve("tidegate.yaml");
        Files.writeString(config, "listeners:\n  mqtt:\n    port: 70000\n    prot: 1\n");
        StringWriter err = new StringWriter();
        CommandLine cli = TidegateCli.commandLine();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        int code = cli.execute("run", "--config", config.toString(), "--data-dir", scratch.resolve("data").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("listeners.mqtt.prot").contains("unknown field");
    }

    private DeviceFiles write(IssuedCertificate certificate, String name) throws Exception {
        Path cert = scratch.resolve(name + ".pem");
        Path key = scratch.resolve(name + ".key");
        certificate.writePem(cert, key);
        return new DeviceFiles(cert, key);
    }
}
