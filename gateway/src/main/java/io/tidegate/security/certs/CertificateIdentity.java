package io.tidegate.security.certs;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/** Reads the names a peer certificate identifies itself by, for mapping a TLS client to a device. */
public final class CertificateIdentity {

    /** GeneralName tags as reported by {@link X509Certificate#getSubjectAlternativeNames()}. */
    private static final int SAN_DNS = 2;
    private static final int SAN_URI = 6;

    private CertificateIdentity() {
    }

    /**
     * The subject's common name, unescaped. Read from the DER-encoded subject rather than a string
     * form, so commas or plus signs in a name cannot be confused with RFC 4514 syntax. With several
     * CNs the last, most specific one wins, as in the JDK's host name checks.
     */
    public static Optional<String> commonName(X509Certificate certificate) {
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        RDN[] rdns = subject.getRDNs(BCStyle.CN);
        for (int i = rdns.length - 1; i >= 0; i--) {
            for (AttributeTypeAndValue attribute : rdns[i].getTypesAndValues()) {
                if (BCStyle.CN.equals(attribute.getType())) {
                    return Optional.of(text(attribute.getValue()));
                }
            }
        }
        return Optional.empty();
    }

    /** The first DNS subjectAltName. */
    public static Optional<String> firstDnsSan(X509Certificate certificate) {
        return firstSubjectAltName(certificate, SAN_DNS);
    }

    /** The first URI subjectAltName. */
    public static Optional<String> firstUriSan(X509Certificate certificate) {
        return firstSubjectAltName(certificate, SAN_URI);
    }

    /**
     * @throws IllegalArgumentException if the subjectAltName extension cannot be parsed
     */
    private static Optional<String> firstSubjectAltName(X509Certificate certificate, int type) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException(
                    "unparseable subjectAltName in " + certificate.getSubjectX500Principal(), e);
        }
        if (names == null) {
            return Optional.empty();
        }
        return names.stream()
                .filter(name -> name.size() >= 2 && Integer.valueOf(type).equals(name.get(0)))
                .map(name -> name.get(1))
                .filter(String.class::isInstance)
                .map(String.class::cast)
                .findFirst();
    }

    private static String text(ASN1Encodable value) {
        return value instanceof ASN1String string ? string.getString() : IETFUtils.valueToString(value);
    }
}
