package io.tidegate.security.certs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything a {@link CertificateAuthority} needs to issue one end-entity certificate. Factories set
 * the validity from now; {@link #withValidity} sets it explicitly, for example in the past to make an
 * expired certificate for a test.
 *
 * @param commonName  subject CN, at most 64 characters
 * @param usage       server or client
 * @param dnsNames    subjectAltName DNS entries
 * @param ipAddresses subjectAltName IP entries, as IPv4 or IPv6 literals
 * @param uris        subjectAltName URI entries, absolute
 * @param notBefore   start of validity
 * @param notAfter    end of validity, after {@code notBefore}
 */
public record CertificateRequest(String commonName, CertificateUsage usage, List<String> dnsNames,
                                 List<String> ipAddresses, List<String> uris,
                                 Instant notBefore, Instant notAfter) {

    /** Backdating absorbs clock skew between the issuing host and the peers that check validity. */
    static final Duration CLOCK_SKEW = Duration.ofHours(1);

    public CertificateRequest {
        NameRules.requireCommonName(commonName);
        Objects.requireNonNull(usage, "usage");
        dnsNames = copy(dnsNames);
        ipAddresses = copy(ipAddresses);
        uris = copy(uris);
        dnsNames.forEach(NameRules::requireDnsName);
        ipAddresses.forEach(NameRules::requireIpAddress);
        uris.forEach(NameRules::requireUri);
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("notAfter " + notAfter + " is not after notBefore " + notBefore);
        }
    }

    public static CertificateRequest server(String commonName, List<String> dnsNames, List<String> ipAddresses,
                                            Duration validity) {
        Instant now = Instant.now();
        return new CertificateRequest(commonName, CertificateUsage.SERVER, dnsNames, ipAddresses, List.of(),
                start(now), end(now, validity));
    }

    public static CertificateRequest client(String commonName, Duration validity) {
        return client(commonName, List.of(), List.of(), validity);
    }

    public static CertificateRequest client(String commonName, List<String> dnsNames, List<String> uris,
                                            Duration validity) {
        Instant now = Instant.now();
        return new CertificateRequest(commonName, CertificateUsage.CLIENT, dnsNames, List.of(), uris,
                start(now), end(now, validity));
    }

    /** The same request with an explicit validity window, which may lie in the past or the future. */
    public CertificateRequest withValidity(Instant notBefore, Instant notAfter) {
        return new CertificateRequest(commonName, usage, dnsNames, ipAddresses, uris, notBefore, notAfter);
    }

    static Instant start(Instant now) {
        return now.minus(CLOCK_SKEW);
    }

    static Instant end(Instant now, Duration validity) {
        if (validity == null || validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive: " + validity);
        }
        return now.plus(validity);
    }

    private static List<String> copy(List<String> values) {
        return values == null ? List.of() : List.copyOf(values);
    }
}
