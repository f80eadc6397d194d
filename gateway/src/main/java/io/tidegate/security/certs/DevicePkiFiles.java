package io.tidegate.security.certs;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Paths written by {@link DevelopmentPki#issueDevices}: the CA and a batch of device certificates.
 *
 * @param caCert  CA certificate the devices chain to
 * @param caKey   CA private key
 * @param devices device files by device name, in issue order
 */
public record DevicePkiFiles(Path caCert, Path caKey, Map<String, DeviceFiles> devices) {

    public DevicePkiFiles {
        Objects.requireNonNull(caCert, "caCert");
        Objects.requireNonNull(caKey, "caKey");
        devices = Collections.unmodifiableMap(new LinkedHashMap<>(devices));
    }
}
