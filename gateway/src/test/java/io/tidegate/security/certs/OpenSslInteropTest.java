package io.tidegate.security.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files as the openssl CLI (and so Mosquitto) sees them; skipped where openssl is not installed. */
class OpenSslInteropTest {

    @TempDir
    Path dir;

    private DevelopmentPkiFiles files;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(run("version").exitCode() == 0, "openssl on PATH");
        files = DevelopmentPki.ensure(dir, List.of("x"));
    }

    @Test
    void opensslVerifiesDeviceAndServerCertificates() throws Exception {
        Result device = run("verify", "-CAfile", files.caCert().toString(), "-purpose", "sslclient",
                files.devices().get("x").certificate().toString());
        Result server = run("verify", "-CAfile", files.caCert().toString(), "-purpose", "sslserver",
                files.serverChain().toString());

        assertThat(device.exitCode()).as(device.output()).isZero();
        assertThat(device.output()).contains(": OK");
        assertThat(server.exitCode()).as(server.output()).isZero();
    }

    @Test
    void opensslRejectsDeviceCertificateForServerUse() throws Exception {
        Result result = run("verify", "-CAfile", files.caCert().toString(), "-purpose", "sslserver",
                files.devices().get("x").certificate().toString());

        assertThat(result.exitCode()).isNotZero();
    }

    @Test
    void opensslReadsEveryPrivateKey() throws Exception {
        for (Path key : List.of(files.caKey(), files.serverKey(), files.devices().get("x").privateKey())) {
            Result result = run("pkey", "-in", key.toString(), "-noout");
            assertThat(result.exitCode()).as(key + ": " + result.output()).isZero();
        }
    }

    @Test
    void keysAndCertificatesMadeByOpensslAreRead() throws Exception {
        Path key = dir.resolve("openssl-ec.key");
        Path cert = dir.resolve("openssl-ec.pem");
        Path pkcs8 = dir.resolve("openssl-pkcs8.key");
        assertThat(run("ecparam", "-name", "prime256v1", "-genkey", "-out", key.toString()).exitCode()).isZero();
        assertThat(run("req", "-x509", "-new", "-key", key.toString(), "-subj", "/CN=openssl-made", "-days", "1",
                "-out", cert.toString()).exitCode()).isZero();
        assertThat(run("pkcs8", "-topk8", "-nocrypt", "-in", key.toString(), "-out", pkcs8.toString()).exitCode())
                .isZero();

        X509Certificate certificate = PemFiles.readCertificate(cert);
        assertThat(CertificateIdentity.commonName(certificate)).contains("openssl-made");
        assertThat(KeyPairs.matches(certificate.getPublicKey(), PemFiles.readPrivateKey(key))).isTrue();
        assertThat(KeyPairs.matches(certificate.getPublicKey(), PemFiles.readPrivateKey(pkcs8))).isTrue();
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(String... args) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            return new Result(-1, e.toString());
        }
    }
}
