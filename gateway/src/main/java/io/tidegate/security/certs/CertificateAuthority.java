package io.tidegate.security.certs;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * An in-memory certificate authority: a key pair and its CA certificate, issuing EC P-256 server and
 * client certificates signed with SHA256withECDSA. Immutable and safe to share between threads.
 */
public final class CertificateAuthority {

    /** KeyUsage bit index of keyCertSign in {@link X509Certificate#getKeyUsage()}. */
    private static final int KEY_CERT_SIGN = 5;

    private final List<X509Certificate> chain;
    private final PrivateKey privateKey;

    private CertificateAuthority(List<X509Certificate> chain, PrivateKey privateKey) {
        this.chain = List.copyOf(chain);
        this.privateKey = privateKey;
    }

    /** A new self-signed CA with a fresh P-256 key, valid from now (less clock-skew allowance). */
    public static CertificateAuthority create(String commonName, Duration validity) {
        NameRules.requireCommonName(commonName);
        Instant now = Instant.now();
        KeyPair keys = KeyPairs.generateEcP256();
        X509Certificate certificate = CertificateSigning.selfSignedCa(commonName, keys,
                CertificateRequest.start(now), CertificateRequest.end(now, validity));
        return new CertificateAuthority(List.of(certificate), keys.getPrivate());
    }

    /**
     * Loads a CA from PEM files. The first certificate is the CA's own; any that follow are its
     * issuers and are handed on in each {@link IssuedCertificate#issuerChain()}.
     *
     * @throws IOException  if a file cannot be read or holds no certificate or key
     * @throws PkiException if the certificate is not a CA or the key does not belong to it
     */
    public static CertificateAuthority load(Path certPem, Path keyPem) throws IOException {
        List<X509Certificate> chain = PemFiles.readCertificates(certPem);
        PrivateKey key = PemFiles.readPrivateKey(keyPem);
        X509Certificate certificate = chain.get(0);
        boolean[] keyUsage = certificate.getKeyUsage();
        if (certificate.getBasicConstraints() < 0 || (keyUsage != null && !keyUsage[KEY_CERT_SIGN])) {
            throw new PkiException(certPem + " is not a CA certificate (" + certificate.getSubjectX500Principal() + ")");
        }
        if (!KeyPairs.matches(certificate.getPublicKey(), key)) {
            throw new PkiException(keyPem + " is not the private key of " + certPem);
        }
        return new CertificateAuthority(chain, key);
    }

    /** A TLS server certificate (EKU serverAuth) with the given subjectAltNames. */
    public IssuedCertificate issueServer(String commonName, List<String> dnsNames, List<String> ipAddresses,
                                         Duration validity) {
        return issue(CertificateRequest.server(commonName, dnsNames, ipAddresses, validity));
    }

    /** A TLS client certificate (EKU clientAuth) identified by its common name. */
    public IssuedCertificate issueClient(String commonName, Duration validity) {
        return issue(CertificateRequest.client(commonName, validity));
    }

    /** A TLS client certificate that also carries DNS and URI subjectAltNames. */
    public IssuedCertificate issueClient(String commonName, List<String> dnsNames, List<String> uris,
                                         Duration validity) {
        return issue(CertificateRequest.client(commonName, dnsNames, uris, validity));
    }

    /** Issues exactly what the request says, including validity windows in the past. */
    public IssuedCertificate issue(CertificateRequest request) {
        KeyPair keys = KeyPairs.generateEcP256();
        X509Certificate certificate = CertificateSigning.endEntity(certificate(), privateKey, request, keys.getPublic());
        return new IssuedCertificate(certificate, keys.getPrivate(), chain);
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** This CA's certificate first, then its issuers when it was loaded with them. */
    public List<X509Certificate> chain() {
        return chain;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** Writes the CA certificate(s) (0644) and its PKCS#8 key (0600). */
    public void writePem(Path certFile, Path keyFile) throws IOException {
        PemFiles.writePrivateKey(keyFile, privateKey);
        PemFiles.writeCertificates(certFile, chain);
    }

    @Override
    public String toString() {
        return "CertificateAuthority[" + certificate().getSubjectX500Principal().getName() + "]";
    }
}
