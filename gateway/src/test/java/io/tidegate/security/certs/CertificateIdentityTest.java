package io.tidegate.security.certs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class CertificateIdentityTest {

    private static final Duration DAY = Duration.ofDays(1);

    private final CertificateAuthority ca = CertificateAuthority.create("Identity CA", DAY);

    @Test
    void commonNameIsReadFromTheSubject() {
        assertThat(CertificateIdentity.commonName(ca.issueClient("sensor-42", DAY).certificate()))
                .contains("sensor-42");
        assertThat(CertificateIdentity.commonName(ca.certificate())).contains("Identity CA");
    }

    @Test
    void commonNameWithRfc4514SpecialCharactersIsReturnedUnescaped() {
        String name = "line 3, cell=7+\"a\"\\b";

        assertThat(CertificateIdentity.commonName(ca.issueClient(name, DAY).certificate())).contains(name);
    }

    @Test
    void firstSansByType() {
        var cert = ca.issueClient("dev", List.of("a.fleet.test", "b.fleet.test"),
                List.of("urn:device:1", "spiffe://fleet.test/dev"), DAY).certificate();

        assertThat(CertificateIdentity.firstDnsSan(cert)).contains("a.fleet.test");
        assertThat(CertificateIdentity.firstUriSan(cert)).contains("urn:device:1");
    }

    @Test
    void missingSansAreEmpty() {
        var clientOnlyCn = ca.issueClient("dev", DAY).certificate();
        var serverWithIpOnly = ca.issueServer("srv", List.of(), List.of("127.0.0.1"), DAY).certificate();

        assertThat(CertificateIdentity.firstDnsSan(clientOnlyCn)).isEmpty();
        assertThat(CertificateIdentity.firstUriSan(clientOnlyCn)).isEmpty();
        assertThat(CertificateIdentity.firstDnsSan(serverWithIpOnly)).isEmpty();
    }
}
