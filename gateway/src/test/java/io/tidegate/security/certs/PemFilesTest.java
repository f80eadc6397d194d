package io.tidegate.security.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemFilesTest {

    private static final Duration YEAR = Duration.ofDays(365);

    private final CertificateAuthority ca = CertificateAuthority.create("Test CA", YEAR);
    private final IssuedCertificate server = ca.issueServer("gateway", List.of("localhost"), List.of("127.0.0.1"), YEAR);

    @TempDir
    Path dir;

    @Test
    void chainRoundTripsThroughPemFilesAndTheJdk() throws Exception {
        Path chainFile = dir.resolve("server.pem");
        server.writeChainPem(chainFile);

        assertThat(PemFiles.readCertificates(chainFile)).containsExactly(server.certificate(), ca.certificate());
        assertThat(PemFiles.readCertificate(chainFile)).isEqualTo(server.certificate());
        try (InputStream in = Files.newInputStream(chainFile)) {
            List<Certificate> jdk = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
            assertThat(jdk).containsExactly(server.certificate(), ca.certificate());
        }
    }

    @Test
    void privateKeyIsWrittenAsUnencryptedPkcs8() throws Exception {
        Path keyFile = dir.resolve("server.key");
        server.writePem(dir.resolve("leaf.pem"), keyFile);

        String pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----").contains("-----END PRIVATE KEY-----");
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey decoded = KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        assertThat(decoded.getEncoded()).isEqualTo(server.privateKey().getEncoded());
        assertThat(PemFiles.readPrivateKey(keyFile).getEncoded()).isEqualTo(server.privateKey().getEncoded());
        assertThat(PemFiles.readCertificates(dir.resolve("leaf.pem"))).containsExactly(server.certificate());
    }

    @Test
    void readsTraditionalEcPrivateKeyAfterAnEcParametersBlock() throws Exception {
        // What `openssl ecparam -name prime256v1 -genkey` writes: parameters, then a SEC1 key naming its curve.
        ECPrivateKey ecKey = (ECPrivateKey) server.privateKey();
        byte[] sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, ecKey.getS(), SECObjectIdentifiers.secp256r1)
                .getEncoded();
        StringWriter pem = new StringWriter();
        try (PemWriter writer = new PemWriter(pem)) {
            writer.writeObject(new PemObject("EC PRIVATE KEY", sec1));
        }
        Path keyFile = dir.resolve("sec1.key");
        Files.writeString(keyFile, "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
                + pem, StandardCharsets.US_ASCII);

        PrivateKey key = PemFiles.readPrivateKey(keyFile);

        assertThat(KeyPairs.matches(server.certificate().getPublicKey(), key)).isTrue();
    }

    @Test
    void keysAreOwnerOnlyAndCertificatesWorldReadable() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX file system");
        Path keyFile = dir.resolve("server.key");
        Files.writeString(keyFile, "stale");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-rw-rw-"));

        server.writePem(dir.resolve("server.pem"), keyFile);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("server.pem"))))
                .isEqualTo("rw-r--r--");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("no temporary files left behind")
                    .extracting(p -> p.getFileName().toString())
                    .containsExactlyInAnyOrder("server.key", "server.pem");
        }
    }

    @Test
    void missingOrMalformedContentIsAnIoException() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
        Path certOnly = dir.resolve("cert.pem");
        PemFiles.writeCertificate(certOnly, ca.certificate());
        Path broken = Files.writeString(dir.resolve("broken.pem"),
                "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n");

        assertThatThrownBy(() -> PemFiles.readCertificates(empty)).hasMessageContaining("no certificate");
        assertThatThrownBy(() -> PemFiles.readPrivateKey(certOnly)).hasMessageContaining("no private key");
        assertThatThrownBy(() -> PemFiles.readCertificates(broken)).isInstanceOf(java.io.IOException.class);
    }
}
