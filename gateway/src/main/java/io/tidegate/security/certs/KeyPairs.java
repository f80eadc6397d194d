package io.tidegate.security.certs;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;

/** Key generation and signature choices, all through the JDK's default providers. */
final class KeyPairs {

    static final SecureRandom RANDOM = new SecureRandom();

    private static final String CURVE = "secp256r1";

    private KeyPairs() {
    }

    /** A fresh EC P-256 key pair. */
    static KeyPair generateEcP256() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(CURVE), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new PkiException("EC " + CURVE + " key generation is unavailable in this JDK", e);
        }
    }

    /** SHA-256 signatures for our EC keys, and for RSA keys of a CA loaded from disk. */
    static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> throw new PkiException("unsupported signing key algorithm: " + key.getAlgorithm());
        };
    }

    /** True when the private key belongs to the public key, proven by a signature over random bytes. */
    static boolean matches(PublicKey publicKey, PrivateKey privateKey) {
        String algorithm = signatureAlgorithm(privateKey);
        byte[] challenge = new byte[32];
        RANDOM.nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            // Mismatched key types (say an RSA certificate with an EC key) land here.
            return false;
        }
    }
}
