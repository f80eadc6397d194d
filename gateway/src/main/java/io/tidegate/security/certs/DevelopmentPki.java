package io.tidegate.security.certs;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.bouncycastle.util.IPAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A development PKI kept in one directory, so the gateway runs over mutual TLS with no setup:
 * <pre>
 *   ca.pem  ca.key                 CA (10 years)
 *   server.pem  server.key         server chain (server + CA) for localhost, this host, 127.0.0.1, ::1 (2 years)
 *   devices/NAME.pem  NAME.key     client certificate with CN=NAME (2 years)
 * </pre>
 * Files that exist are reused and never overwritten, so devices that were handed certificates keep
 * working across restarts. A reused certificate must still fit: signed by the CA in the directory
 * and paired with its key; otherwise this fails, naming the files to delete. Not safe for two
 * processes to run at once on the same directory.
 */
public final class DevelopmentPki {

    public static final String CA_CERT = "ca.pem";
    public static final String CA_KEY = "ca.key";
    public static final String SERVER_CHAIN = "server.pem";
    public static final String SERVER_KEY = "server.key";
    public static final String DEVICES_DIR = "devices";
    public static final String DEFAULT_DEVICE_PREFIX = "device";

    static final Duration CA_VALIDITY = Duration.ofDays(3650);
    static final Duration SERVER_VALIDITY = Duration.ofDays(730);
    static final Duration DEVICE_VALIDITY = Duration.ofDays(730);

    private static final Logger log = LoggerFactory.getLogger(DevelopmentPki.class);

    private static final String SERVER_COMMON_NAME = "tidegate";
    private static final List<String> SERVER_IPS = List.of("127.0.0.1", "::1");
    /** Device names become file names, so they are kept to portable, path-free characters. */
    private static final Pattern DEVICE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private DevelopmentPki() {
    }

    /**
     * Creates whatever is missing of the CA, the server certificate and one certificate per device.
     *
     * @throws IllegalArgumentException if a device name is not a plain file name of at most 64 characters
     * @throws PkiException             if existing files do not fit together
     */
    public static DevelopmentPkiFiles ensure(Path certsDir, List<String> deviceNames) throws IOException {
        List<String> names = checkedDeviceNames(deviceNames);
        CertificateAuthority ca = ensureCa(certsDir);
        Path serverChain = certsDir.resolve(SERVER_CHAIN);
        Path serverKey = certsDir.resolve(SERVER_KEY);
        ensureLeaf(ca, serverChain, serverKey, true,
                () -> ca.issueServer(SERVER_COMMON_NAME, serverDnsNames(), SERVER_IPS, SERVER_VALIDITY));
        Map<String, DeviceFiles> devices = ensureDevices(ca, certsDir, names);
        return new DevelopmentPkiFiles(certsDir.resolve(CA_CERT), certsDir.resolve(CA_KEY), serverChain, serverKey,
                devices);
    }

    /** {@link #issueDevices(Path, int, String)} with the default name prefix {@value #DEFAULT_DEVICE_PREFIX}. */
    public static DevicePkiFiles issueDevices(Path outDir, int count) throws IOException {
        return issueDevices(outDir, count, DEFAULT_DEVICE_PREFIX);
    }

    /**
     * Creates (or reuses) the CA in {@code outDir} and device certificates named
     * {@code <prefix>-1 .. <prefix>-count}, in the same layout as {@link #ensure}, so a directory
     * prepared here can also serve as the gateway's certificate directory.
     */
    public static DevicePkiFiles issueDevices(Path outDir, int count, String namePrefix) throws IOException {
        if (count < 0) {
            throw new IllegalArgumentException("device count must not be negative: " + count);
        }
        String prefix = namePrefix == null || namePrefix.isBlank() ? DEFAULT_DEVICE_PREFIX : namePrefix;
        List<String> names = checkedDeviceNames(
                IntStream.rangeClosed(1, count).mapToObj(i -> prefix + "-" + i).toList());
        CertificateAuthority ca = ensureCa(outDir);
        Map<String, DeviceFiles> devices = ensureDevices(ca, outDir, names);
        return new DevicePkiFiles(outDir.resolve(CA_CERT), outDir.resolve(CA_KEY), devices);
    }

    /** DNS names for the server certificate: localhost and, when it is a valid DNS name, this host's name. */
    static List<String> serverDnsNames() {
        Set<String> names = new LinkedHashSet<>();
        names.add("localhost");
        localHostName().ifPresent(names::add);
        return List.copyOf(names);
    }

    private static CertificateAuthority ensureCa(Path dir) throws IOException {
        Path certFile = dir.resolve(CA_CERT);
        Path keyFile = dir.resolve(CA_KEY);
        if (pairExists(certFile, keyFile)) {
            CertificateAuthority ca = CertificateAuthority.load(certFile, keyFile);
            warnIfExpired(ca.certificate(), certFile, keyFile);
            log.debug("Reusing development CA {}", certFile);
            return ca;
        }
        // A random suffix keeps CAs from different checkouts or machines distinguishable by name.
        byte[] suffix = new byte[4];
        KeyPairs.RANDOM.nextBytes(suffix);
        CertificateAuthority ca = CertificateAuthority.create(
                "Tidegate Development CA " + HexFormat.of().formatHex(suffix), CA_VALIDITY);
        ca.writePem(certFile, keyFile);
        log.info("Created development CA {} in {}", ca.certificate().getSubjectX500Principal().getName(), certFile);
        return ca;
    }

    private static Map<String, DeviceFiles> ensureDevices(CertificateAuthority ca, Path dir, List<String> names)
            throws IOException {
        Path devicesDir = dir.resolve(DEVICES_DIR);
        Map<String, DeviceFiles> devices = new LinkedHashMap<>();
        for (String name : names) {
            DeviceFiles files = new DeviceFiles(devicesDir.resolve(name + ".pem"), devicesDir.resolve(name + ".key"));
            ensureLeaf(ca, files.certificate(), files.privateKey(), false,
                    () -> ca.issueClient(name, DEVICE_VALIDITY));
            devices.put(name, files);
        }
        return devices;
    }

    private static void ensureLeaf(CertificateAuthority ca, Path certFile, Path keyFile, boolean withChain,
                                   Supplier<IssuedCertificate> issue) throws IOException {
        if (pairExists(certFile, keyFile)) {
            checkReusable(ca, certFile, keyFile);
            log.debug("Reusing development certificate {}", certFile);
            return;
        }
        IssuedCertificate issued = issue.get();
        PemFiles.writePrivateKey(keyFile, issued.privateKey());
        PemFiles.writeCertificates(certFile, withChain ? issued.chain() : List.of(issued.certificate()));
        log.info("Issued development certificate {} in {}",
                issued.certificate().getSubjectX500Principal().getName(), certFile);
    }

    /** True when both files exist, false when neither does; half a pair is an error we do not paper over. */
    private static boolean pairExists(Path certFile, Path keyFile) {
        boolean cert = Files.exists(certFile);
        boolean key = Files.exists(keyFile);
        if (cert != key) {
            Path present = cert ? certFile : keyFile;
            Path missing = cert ? keyFile : certFile;
            throw new PkiException("found " + present + " but not " + missing
                    + "; delete " + present + " to have both generated again");
        }
        return cert;
    }

    private static void checkReusable(CertificateAuthority ca, Path certFile, Path keyFile) throws IOException {
        X509Certificate certificate = PemFiles.readCertificate(certFile);
        String remedy = "; delete " + certFile + " and " + keyFile + " to have them issued again";
        try {
            certificate.verify(ca.certificate().getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new PkiException(certFile + " was not issued by the development CA" + remedy, e);
        }
        if (!KeyPairs.matches(certificate.getPublicKey(), PemFiles.readPrivateKey(keyFile))) {
            throw new PkiException(keyFile + " is not the private key of " + certFile + remedy);
        }
        warnIfExpired(certificate, certFile, keyFile);
    }

    private static void warnIfExpired(X509Certificate certificate, Path certFile, Path keyFile) {
        Instant notAfter = certificate.getNotAfter().toInstant();
        if (notAfter.isBefore(Instant.now())) {
            log.warn("{} expired on {}; delete it and {} to have them issued again", certFile, notAfter, keyFile);
        }
    }

    private static List<String> checkedDeviceNames(List<String> deviceNames) {
        Set<String> names = new LinkedHashSet<>();
        for (String name : deviceNames) {
            if (name == null || !DEVICE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("device name must be 1-64 letters, digits, '.', '_' or '-',"
                        + " starting with a letter or digit: " + name);
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    private static Optional<String> localHostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            if (NameRules.isDnsName(name) && !name.startsWith("*") && !IPAddress.isValid(name)) {
                return Optional.of(name);
            }
            log.debug("Host name {} is not a DNS name; the development server certificate omits it", name);
        } catch (UnknownHostException e) {
            log.debug("Cannot determine the host name; the development server certificate omits it", e);
        }
        return Optional.empty();
    }
}
