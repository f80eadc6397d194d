package io.tidegate.security.certs;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An end-entity certificate with its private key and the certificates of its issuer.
 *
 * @param certificate the issued (leaf) certificate
 * @param privateKey  the leaf's private key
 * @param issuerChain the issuing CA first, then any CAs above it; never contains the leaf
 */
public record IssuedCertificate(X509Certificate certificate, PrivateKey privateKey,
                                List<X509Certificate> issuerChain) {

    public IssuedCertificate {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        issuerChain = List.copyOf(issuerChain);
    }

    /** Leaf first, then the issuers: what a TLS peer presents. */
    public List<X509Certificate> chain() {
        List<X509Certificate> chain = new ArrayList<>(1 + issuerChain.size());
        chain.add(certificate);
        chain.addAll(issuerChain);
        return List.copyOf(chain);
    }

    /** Writes the leaf certificate alone (0644) and the PKCS#8 key (0600). */
    public void writePem(Path certFile, Path keyFile) throws IOException {
        PemFiles.writePrivateKey(keyFile, privateKey);
        PemFiles.writeCertificate(certFile, certificate);
    }

    /** Writes the leaf followed by its issuers, as servers should present it. */
    public void writeChainPem(Path chainFile) throws IOException {
        PemFiles.writeCertificates(chainFile, chain());
    }

    /** Keeps the key, and pages of certificate dump, out of logs. */
    @Override
    public String toString() {
        return "IssuedCertificate[subject=" + certificate.getSubjectX500Principal().getName()
                + ", serial=" + certificate.getSerialNumber().toString(16)
                + ", notAfter=" + certificate.getNotAfter().toInstant() + "]";
    }
}
