package io.tidegate.security.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevelopmentPkiTest {

    @TempDir
    Path dir;

    @Test
    void ensureCreatesCaServerAndDeviceFiles() throws Exception {
        DevelopmentPkiFiles files = DevelopmentPki.ensure(dir, List.of("sensor-1", "sensor-2"));

        assertThat(files.caCert()).isEqualTo(dir.resolve("ca.pem"));
        assertThat(files.caKey()).isEqualTo(dir.resolve("ca.key"));
        assertThat(files.serverChain()).isEqualTo(dir.resolve("server.pem"));
        assertThat(files.serverKey()).isEqualTo(dir.resolve("server.key"));
        assertThat(files.devices()).containsOnlyKeys("sensor-1", "sensor-2");
        assertThat(files.devices().get("sensor-1")).isEqualTo(new DeviceFiles(
                dir.resolve("devices/sensor-1.pem"), dir.resolve("devices/sensor-1.key")));

        X509Certificate ca = PemFiles.readCertificate(files.caCert());
        List<X509Certificate> serverChain = PemFiles.readCertificates(files.serverChain());
        assertThat(serverChain).hasSize(2).last().isEqualTo(ca);
        X509Certificate server = serverChain.get(0);
        assertThatCode(() -> server.verify(ca.getPublicKey())).doesNotThrowAnyException();
        assertThat(CertificateIdentity.firstDnsSan(server)).contains("localhost");
        assertThat(server.getSubjectAlternativeNames())
                .contains(List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"));
        for (String dns : DevelopmentPki.serverDnsNames()) {
            assertThat(server.getSubjectAlternativeNames()).contains(List.of(2, dns));
        }
        assertThat(KeyPairs.matches(server.getPublicKey(), PemFiles.readPrivateKey(files.serverKey()))).isTrue();

        for (var device : files.devices().entrySet()) {
            X509Certificate cert = PemFiles.readCertificate(device.getValue().certificate());
            assertThat(CertificateIdentity.commonName(cert)).contains(device.getKey());
            assertThatCode(() -> cert.verify(ca.getPublicKey())).doesNotThrowAnyException();
            assertThat(KeyPairs.matches(cert.getPublicKey(), PemFiles.readPrivateKey(device.getValue().privateKey())))
                    .isTrue();
        }
    }

    @Test
    void ensureTwiceLeavesEveryFileUnchanged() throws Exception {
        DevelopmentPki.ensure(dir, List.of("sensor-1"));
        Map<Path, byte[]> before = snapshot(dir);

        DevelopmentPkiFiles again = DevelopmentPki.ensure(dir, List.of("sensor-1"));

        assertThat(again.devices()).containsOnlyKeys("sensor-1");
        Map<Path, byte[]> after = snapshot(dir);
        assertThat(after).containsOnlyKeys(before.keySet());
        before.forEach((path, bytes) -> assertThat(after.get(path)).as(path.toString()).isEqualTo(bytes));
    }

    @Test
    void ensureWithANewDeviceOnlyAddsThatDevice() throws Exception {
        DevelopmentPki.ensure(dir, List.of("sensor-1"));
        Map<Path, byte[]> before = snapshot(dir);

        DevelopmentPki.ensure(dir, List.of("sensor-1", "sensor-2"));

        Map<Path, byte[]> after = snapshot(dir);
        before.forEach((path, bytes) -> assertThat(after.get(path)).as(path.toString()).isEqualTo(bytes));
        assertThat(after.keySet()).containsAll(before.keySet())
                .contains(dir.resolve("devices/sensor-2.pem"), dir.resolve("devices/sensor-2.key"));
    }

    @Test
    void halfAPairIsReportedAndLeftAlone() throws Exception {
        DevelopmentPki.ensure(dir, List.of());
        Files.delete(dir.resolve("server.key"));
        byte[] serverChain = Files.readAllBytes(dir.resolve("server.pem"));

        assertThatThrownBy(() -> DevelopmentPki.ensure(dir, List.of()))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("server.pem").hasMessageContaining("server.key");
        assertThat(Files.readAllBytes(dir.resolve("server.pem"))).isEqualTo(serverChain);
    }

    @Test
    void certificateFromAReplacedCaIsReportedAndLeftAlone() throws Exception {
        DevelopmentPki.ensure(dir, List.of("sensor-1"));
        Files.delete(dir.resolve("ca.pem"));
        Files.delete(dir.resolve("ca.key"));

        assertThatThrownBy(() -> DevelopmentPki.ensure(dir, List.of("sensor-1")))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("not issued by the development CA");
    }

    @Test
    void deviceNamesMustBePlainFileNames() {
        for (String bad : List.of("../escape", "a/b", ".hidden", "", "x".repeat(65))) {
            assertThatThrownBy(() -> DevelopmentPki.ensure(dir, List.of(bad)))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(dir.resolve("ca.pem")).as("nothing written for a bad name").doesNotExist();
    }

    @Test
    void issueDevicesNumbersDevicesAndReusesTheCa() throws Exception {
        DevicePkiFiles first = DevelopmentPki.issueDevices(dir, 2);
        assertThat(first.devices()).containsOnlyKeys("device-1", "device-2");
        Map<Path, byte[]> before = snapshot(dir);

        DevicePkiFiles second = DevelopmentPki.issueDevices(dir, 3, null);

        assertThat(second.devices()).containsOnlyKeys("device-1", "device-2", "device-3");
        assertThat(second.caCert()).isEqualTo(dir.resolve("ca.pem"));
        Map<Path, byte[]> after = snapshot(dir);
        before.forEach((path, bytes) -> assertThat(after.get(path)).as(path.toString()).isEqualTo(bytes));
        X509Certificate ca = PemFiles.readCertificate(second.caCert());
        X509Certificate third = PemFiles.readCertificate(second.devices().get("device-3").certificate());
        assertThatCode(() -> third.verify(ca.getPublicKey())).doesNotThrowAnyException();
    }

    @Test
    void issueDevicesTakesACustomPrefix() throws Exception {
        DevicePkiFiles files = DevelopmentPki.issueDevices(dir, 1, "pump");

        assertThat(files.devices()).containsOnlyKeys("pump-1");
        assertThat(CertificateIdentity.commonName(PemFiles.readCertificate(files.devices().get("pump-1").certificate())))
                .contains("pump-1");
    }

    private static Map<Path, byte[]> snapshot(Path root) throws IOException {
        Map<Path, byte[]> contents = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                contents.put(path, Files.readAllBytes(path));
            }
        }
        return contents;
    }
}
