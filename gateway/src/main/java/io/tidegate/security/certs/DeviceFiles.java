package io.tidegate.security.certs;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A device's client certificate and key on disk.
 *
 * @param certificate the device certificate (PEM, leaf only)
 * @param privateKey  its PKCS#8 private key (PEM)
 */
public record DeviceFiles(Path certificate, Path privateKey) {

    public DeviceFiles {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
    }
}
