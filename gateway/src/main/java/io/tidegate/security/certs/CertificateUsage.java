package io.tidegate.security.certs;

import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/** What an issued end-entity certificate is for; decides its key usage and extended key usage. */
public enum CertificateUsage {

    /** TLS server: EKU serverAuth, keyUsage digitalSignature and keyEncipherment. */
    SERVER(KeyUsage.digitalSignature | KeyUsage.keyEncipherment, KeyPurposeId.id_kp_serverAuth),

    /** TLS client (a device): EKU clientAuth, keyUsage digitalSignature. */
    CLIENT(KeyUsage.digitalSignature, KeyPurposeId.id_kp_clientAuth);

    private final int keyUsageBits;
    private final KeyPurposeId purpose;

    CertificateUsage(int keyUsageBits, KeyPurposeId purpose) {
        this.keyUsageBits = keyUsageBits;
        this.purpose = purpose;
    }

    KeyUsage keyUsage() {
        return new KeyUsage(keyUsageBits);
    }

    ExtendedKeyUsage extendedKeyUsage() {
        return new ExtendedKeyUsage(purpose);
    }
}
