package io.tidegate.security.certs;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Paths of the development PKI that {@link DevelopmentPki#ensure} keeps in a directory.
 *
 * @param caCert      CA certificate: the trust anchor for devices and for the gateway's client check
 * @param caKey       CA private key
 * @param serverChain server certificate followed by the CA certificate
 * @param serverKey   server private key
 * @param devices     device files by device name, in the order the names were given
 */
public record DevelopmentPkiFiles(Path caCert, Path caKey, Path serverChain, Path serverKey,
                                  Map<String, DeviceFiles> devices) {

    public DevelopmentPkiFiles {
        Objects.requireNonNull(caCert, "caCert");
        Objects.requireNonNull(caKey, "caKey");
        Objects.requireNonNull(serverChain, "serverChain");
        Objects.requireNonNull(serverKey, "serverKey");
        devices = Collections.unmodifiableMap(new LinkedHashMap<>(devices));
    }
}
