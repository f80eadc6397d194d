package io.tidegate.security.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final Duration YEAR = Duration.ofDays(365);

    private final CertificateAuthority ca = CertificateAuthority.create("Test CA", YEAR);

    @TempDir
    Path dir;

    @Test
    void caCertificateIsASelfSignedP256Ca() throws Exception {
        X509Certificate cert = ca.certificate();

        assertThat(cert.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(cert.getCriticalExtensionOIDs())
                .contains(Extension.basicConstraints.getId(), Extension.keyUsage.getId());
        boolean[] keyUsage = cert.getKeyUsage();
        assertThat(keyUsage[5]).as("keyCertSign").isTrue();
        assertThat(keyUsage[6]).as("cRLSign").isTrue();
        assertThat(cert.getExtensionValue(Extension.subjectKeyIdentifier.getId())).isNotNull();
        assertThat(cert.getSubjectX500Principal()).isEqualTo(cert.getIssuerX500Principal());
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(((ECPublicKey) cert.getPublicKey()).getParams().getCurve().getField().getFieldSize())
                .isEqualTo(256);
        assertThatCode(() -> cert.verify(cert.getPublicKey())).doesNotThrowAnyException();
        assertThatCode(cert::checkValidity).doesNotThrowAnyException();
    }

    @Test
    void serverCertificateChainsToCaWithSansAndServerAuth() throws Exception {
        IssuedCertificate server = ca.issueServer("gateway", List.of("localhost", "gw.example.test"),
                List.of("127.0.0.1", "::1"), YEAR);
        X509Certificate cert = server.certificate();

        assertThatCode(() -> cert.verify(ca.certificate().getPublicKey())).doesNotThrowAnyException();
        assertThat(cert.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
        assertThat(cert.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(cert.getKeyUsage()[2]).as("keyEncipherment").isTrue();
        assertThat(cert.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, "localhost"), List.of(2, "gw.example.test"),
                List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"));
        assertThat(server.issuerChain()).containsExactly(ca.certificate());
        assertThat(server.chain()).containsExactly(cert, ca.certificate());
        assertThat(server.privateKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void serverChainPassesJdkPkixValidation() throws Exception {
        IssuedCertificate server = ca.issueServer("gateway", List.of("localhost"), List.of(), YEAR);
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca.certificate(), null)));
        parameters.setRevocationEnabled(false);

        assertThatCode(() -> CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(server.certificate())), parameters))
                .doesNotThrowAnyException();
    }

    @Test
    void clientCertificateCarriesCommonNameAndClientAuth() throws Exception {
        X509Certificate cert = ca.issueClient("sensor-42", YEAR).certificate();

        assertThat(CertificateIdentity.commonName(cert)).contains("sensor-42");
        assertThat(cert.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertThat(cert.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(cert.getSubjectAlternativeNames()).isNull();
        assertThatCode(() -> cert.verify(ca.certificate().getPublicKey())).doesNotThrowAnyException();
    }

    @Test
    void clientCertificateCanCarryDnsAndUriSans() throws Exception {
        X509Certificate cert = ca.issueClient("sensor-7", List.of("sensor-7.fleet.test"),
                List.of("spiffe://fleet.test/sensor-7"), YEAR).certificate();

        assertThat(cert.getSubjectAlternativeNames()).containsExactly(
                List.of(2, "sensor-7.fleet.test"), List.of(6, "spiffe://fleet.test/sensor-7"));
    }

    @Test
    void requestInThePastProducesAnExpiredCertificate() {
        Instant now = Instant.now();
        CertificateRequest request = CertificateRequest.client("old-device", YEAR)
                .withValidity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));

        X509Certificate cert = ca.issue(request).certificate();

        assertThatThrownBy(cert::checkValidity).isInstanceOf(CertificateExpiredException.class);
    }

    @Test
    void requestInTheFutureProducesANotYetValidCertificate() {
        Instant now = Instant.now();
        CertificateRequest request = CertificateRequest.client("early-device", YEAR)
                .withValidity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));

        assertThatThrownBy(ca.issue(request).certificate()::checkValidity)
                .isInstanceOf(CertificateNotYetValidException.class);
    }

    @Test
    void serialNumbersAreRandomPositiveAndAtMost159Bits() {
        Set<BigInteger> serials = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            BigInteger serial = ca.issueClient("d" + i, YEAR).certificate().getSerialNumber();
            assertThat(serial.signum()).isPositive();
            assertThat(serial.bitLength()).isLessThanOrEqualTo(159);
            serials.add(serial);
        }
        assertThat(serials).hasSize(20);
    }

    @Test
    void loadedCaIssuesCertificatesTheOriginalVerifies() throws Exception {
        ca.writePem(dir.resolve("ca.pem"), dir.resolve("ca.key"));

        CertificateAuthority loaded = CertificateAuthority.load(dir.resolve("ca.pem"), dir.resolve("ca.key"));
        X509Certificate cert = loaded.issueClient("device", YEAR).certificate();

        assertThat(loaded.certificate()).isEqualTo(ca.certificate());
        assertThatCode(() -> cert.verify(ca.certificate().getPublicKey())).doesNotThrowAnyException();
    }

    @Test
    void loadRejectsAKeyThatDoesNotBelongToTheCertificate() throws Exception {
        CertificateAuthority other = CertificateAuthority.create("Other CA", YEAR);
        PemFiles.writeCertificate(dir.resolve("ca.pem"), ca.certificate());
        PemFiles.writePrivateKey(dir.resolve("ca.key"), other.privateKey());

        assertThatThrownBy(() -> CertificateAuthority.load(dir.resolve("ca.pem"), dir.resolve("ca.key")))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("is not the private key");
    }

    @Test
    void loadRejectsANonCaCertificate() throws Exception {
        ca.issueClient("device", YEAR).writePem(dir.resolve("leaf.pem"), dir.resolve("leaf.key"));

        assertThatThrownBy(() -> CertificateAuthority.load(dir.resolve("leaf.pem"), dir.resolve("leaf.key")))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("not a CA");
    }

    @Test
    void requestsWithBadNamesOrWindowsAreRejected() {
        assertThatThrownBy(() -> CertificateRequest.client(" ", YEAR)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CertificateRequest.client("x".repeat(65), YEAR))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CertificateRequest.server("s", List.of("bad name"), List.of(), YEAR))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CertificateRequest.server("s", List.of(), List.of("localhost"), YEAR))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CertificateRequest.client("c", List.of(), List.of("relative/path"), YEAR))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CertificateRequest.client("c", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        Instant now = Instant.now();
        assertThatThrownBy(() -> CertificateRequest.client("c", YEAR).withValidity(now, now))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringShowsNoKeyMaterial() {
        IssuedCertificate issued = ca.issueClient("device", YEAR);

        assertThat(issued.toString()).contains("CN=device").doesNotContain("PRIVATE");
    }
}
