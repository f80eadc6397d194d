package io.tidegate.security.certs;

/**
 * Key material could not be generated or signed, or files on disk do not fit together (a key that
 * does not match its certificate, a certificate from another CA, half of a certificate/key pair).
 */
public class PkiException extends RuntimeException {

    public PkiException(String message) {
        super(message);
    }

    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }
}
