package io.tidegate.config;

import java.nio.file.Path;

/**
 * TLS for a listener, from PEM files. When all three paths are absent the gateway generates a
 * development CA and server certificate under {@code <dataDir>/certs} (the embedded default).
 *
 * @param certChain  server certificate chain (PEM), leaf first
 * @param privateKey server private key (PEM, PKCS#8 or PKCS#1)
 * @param trustedCa  CA bundle (PEM) that client certificates must chain to
 * @param clientAuth whether clients must present a certificate
 * @param identity   which part of the client certificate names the device
 * @param provider   TLS implementation: {@code auto} prefers OpenSSL (BoringSSL) when it loads
 */
public record TlsConfig(Path certChain, Path privateKey, Path trustedCa, ClientAuth clientAuth,
                        IdentitySource identity, TlsProvider provider) {

    public TlsConfig {
        clientAuth = clientAuth == null ? ClientAuth.REQUIRED : clientAuth;
        identity = identity == null ? IdentitySource.CN : identity;
        provider = provider == null ? TlsProvider.AUTO : provider;
    }

    /** True when no key material is configured, so development certificates are generated. */
    public boolean usesDevelopmentCertificates() {
        return certChain == null && privateKey == null && trustedCa == null;
    }

    public enum ClientAuth { NONE, OPTIONAL, REQUIRED }

    /** {@code cn}: the subject's common name; {@code san-dns}/{@code san-uri}: the first such SAN. */
    public enum IdentitySource { CN, SAN_DNS, SAN_URI }

    public enum TlsProvider { AUTO, OPENSSL, JDK }
}
