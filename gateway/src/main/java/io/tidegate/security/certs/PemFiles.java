package io.tidegate.security.certs;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.X509TrustedCertificateBlock;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.encoders.DecoderException;

/**
 * Reads and writes certificates and private keys as PEM. Keys are written as unencrypted PKCS#8
 * ({@code BEGIN PRIVATE KEY}), which Netty, OpenSSL and Mosquitto all accept; reading also accepts
 * the traditional {@code BEGIN EC PRIVATE KEY} / {@code BEGIN RSA PRIVATE KEY} forms.
 */
public final class PemFiles {

    private PemFiles() {
    }

    public static void writeCertificate(Path file, X509Certificate certificate) throws IOException {
        writeCertificates(file, List.of(certificate));
    }

    /** Writes the certificates in order (leaf first for a chain), world-readable. */
    public static void writeCertificates(Path file, List<X509Certificate> certificates) throws IOException {
        AtomicFiles.write(file, toPem(certificates).getBytes(StandardCharsets.US_ASCII), false);
    }

    /** Writes the key as unencrypted PKCS#8, readable by the owner only. */
    public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        AtomicFiles.write(file, toPem(key).getBytes(StandardCharsets.US_ASCII), true);
    }

    public static String toPem(List<X509Certificate> certificates) {
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("no certificates to write");
        }
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            for (X509Certificate certificate : certificates) {
                pem.writeObject(certificate);
            }
        } catch (IOException e) {
            throw new PkiException("cannot encode certificate", e);
        }
        return out.toString();
    }

    public static String toPem(PrivateKey key) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            // JcaPEMWriter alone would write EC keys in the traditional SEC1 form; PKCS#8 is wanted.
            pem.writeObject(new JcaPKCS8Generator(key, null));
        } catch (IOException e) {
            throw new PkiException("cannot encode private key", e);
        }
        return out.toString();
    }

    /** The first certificate in the file, which for a chain file is the leaf. */
    public static X509Certificate readCertificate(Path file) throws IOException {
        return readCertificates(file).get(0);
    }

    /** All certificates in the file, in file order; other PEM blocks are skipped. */
    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> certificates = new ArrayList<>();
        try (PEMParser parser = parser(file)) {
            for (Object block = read(parser, file); block != null; block = read(parser, file)) {
                if (block instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                } else if (block instanceof X509TrustedCertificateBlock trusted) {
                    certificates.add(converter.getCertificate(trusted.getCertificateHolder()));
                }
            }
        } catch (CertificateException e) {
            throw new IOException("invalid certificate in " + file, e);
        }
        if (certificates.isEmpty()) {
            throw new IOException("no certificate found in " + file);
        }
        return List.copyOf(certificates);
    }

    /** The first private key in the file: PKCS#8, or traditional EC/RSA. Encrypted keys are refused. */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = parser(file)) {
            for (Object block = read(parser, file); block != null; block = read(parser, file)) {
                if (block instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (block instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (block instanceof PEMEncryptedKeyPair || block instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new IOException(file + " holds an encrypted private key; only unencrypted keys are supported");
                }
                // Anything else, such as the EC PARAMETERS block `openssl ecparam` writes first, is skipped.
            }
        }
        throw new IOException("no private key found in " + file);
    }

    private static PEMParser parser(Path file) throws IOException {
        // Latin-1 never fails to decode, so stray non-ASCII text around the PEM blocks is harmless.
        Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
        return new PEMParser(reader);
    }

    /** BouncyCastle reports bad Base64 or ASN.1 with runtime exceptions; they mean a malformed file. */
    private static Object read(PEMParser parser, Path file) throws IOException {
        try {
            return parser.readObject();
        } catch (DecoderException | IllegalArgumentException e) {
            throw new IOException("malformed PEM in " + file, e);
        }
    }
}
