package io.tidegate.security.certs;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds and signs X.509 v3 certificates with BouncyCastle's builders. No provider is named, so
 * signing and parsing use the JDK's default providers and BouncyCastle never needs registering.
 */
final class CertificateSigning {

    /** 159 bits keeps the DER INTEGER positive and within RFC 5280's 20 octets. */
    private static final int SERIAL_BITS = 159;

    private CertificateSigning() {
    }

    static X509Certificate selfSignedCa(String commonName, KeyPair keys, Instant notBefore, Instant notAfter) {
        X500Name subject = subject(commonName);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, randomSerial(),
                Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic());
        try {
            // pathLen 0: this CA only ever signs end-entity certificates.
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
        } catch (IOException e) {
            throw new PkiException("cannot encode CA extensions", e);
        }
        return sign(builder, keys.getPrivate());
    }

    static X509Certificate endEntity(X509Certificate issuer, PrivateKey issuerKey, CertificateRequest request,
                                     PublicKey subjectKey) {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, randomSerial(),
                Date.from(request.notBefore()), Date.from(request.notAfter()), subject(request.commonName()),
                subjectKey);
        try {
            JcaX509ExtensionUtils utils = extensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, request.usage().keyUsage());
            builder.addExtension(Extension.extendedKeyUsage, false, request.usage().extendedKeyUsage());
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier(issuer, utils));
            GeneralNames altNames = subjectAltNames(request);
            if (altNames != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, altNames);
            }
        } catch (IOException e) {
            throw new PkiException("cannot encode extensions for " + request.commonName(), e);
        }
        return sign(builder, issuerKey);
    }

    static BigInteger randomSerial() {
        BigInteger serial;
        do {
            serial = new BigInteger(SERIAL_BITS, KeyPairs.RANDOM);
        } while (serial.signum() == 0);
        return serial;
    }

    /** Built attribute by attribute, so commas or plus signs in a device name are data, not syntax. */
    private static X500Name subject(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    }

    /**
     * Copies the issuer's own subject key identifier when it has one (a CA loaded from disk may have
     * computed it differently), so chain builders can match the two.
     */
    private static AuthorityKeyIdentifier authorityKeyIdentifier(X509Certificate issuer, JcaX509ExtensionUtils utils)
            throws IOException {
        byte[] extension = issuer.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (extension == null) {
            return utils.createAuthorityKeyIdentifier(issuer.getPublicKey());
        }
        byte[] keyId = ASN1OctetString.getInstance(JcaX509ExtensionUtils.parseExtensionValue(extension)).getOctets();
        return new AuthorityKeyIdentifier(keyId);
    }

    private static GeneralNames subjectAltNames(CertificateRequest request) {
        List<GeneralName> names = new ArrayList<>();
        request.dnsNames().forEach(name -> names.add(new GeneralName(GeneralName.dNSName, name)));
        request.ipAddresses().forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        request.uris().forEach(uri -> names.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri)));
        return names.isEmpty() ? null : new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private static JcaX509ExtensionUtils extensionUtils() {
        try {
            return new JcaX509ExtensionUtils();
        } catch (GeneralSecurityException e) {
            throw new PkiException("SHA-1 (for key identifiers) is unavailable in this JDK", e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey) {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(KeyPairs.signatureAlgorithm(signingKey)).build(signingKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new PkiException("cannot sign certificate", e);
        }
    }
}
