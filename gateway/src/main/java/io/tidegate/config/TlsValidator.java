package io.tidegate.config;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A listener's TLS key material: certChain and privateKey together (plus trustedCa whenever client
 * certificates are asked for), or none of the three for generated development certificates.
 */
final class TlsValidator {

    private TlsValidator() {
    }

    /** @param checkFiles whether the files must exist now; a disabled listener's files need not */
    static void check(ConfigPath path, TlsConfig tls, boolean checkFiles, ProblemCollector problems) {
        if (tls.usesDevelopmentCertificates()) {
            return;
        }
        String allOrNone = "; give certChain, privateKey and trustedCa, or none of them for development certificates";
        if (tls.certChain() == null) {
            problems.add(path.child("certChain"), "missing; expected a PEM certificate chain file" + allOrNone);
        }
        if (tls.privateKey() == null) {
            problems.add(path.child("privateKey"), "missing; expected a PEM private key file" + allOrNone);
        }
        if (tls.trustedCa() == null && tls.clientAuth() != TlsConfig.ClientAuth.NONE) {
            problems.add(path.child("trustedCa"), "missing; expected a PEM CA bundle file, because clientAuth is "
                    + ConfigEnums.display(tls.clientAuth()) + " and client certificates must chain to it");
        }
        if (checkFiles) {
            checkReadable(path.child("certChain"), tls.certChain(), problems);
            checkReadable(path.child("privateKey"), tls.privateKey(), problems);
            checkReadable(path.child("trustedCa"), tls.trustedCa(), problems);
        }
    }

    static void checkReadable(ConfigPath path, Path file, ProblemCollector problems) {
        if (file == null) {
            return;
        }
        String why;
        if (!Files.exists(file)) {
            why = "does not exist";
        } else if (!Files.isRegularFile(file)) {
            why = "is not a regular file";
        } else if (!Files.isReadable(file)) {
            why = "is not readable";
        } else {
            return;
        }
        problems.add(path, ConfigValues.render(file) + " " + why + "; expected a readable PEM file");
    }
}
