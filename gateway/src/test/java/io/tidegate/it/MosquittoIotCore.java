package io.tidegate.it;

import io.tidegate.security.certs.CertificateAuthority;
import io.tidegate.security.certs.DeviceFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The IoT Core stand-in: Debian's Mosquitto with mutual TLS ({@code require_certificate}, the
 * certificate's CN as the user name, like IoT Core's certificate-based identity), an ACL playing the
 * IoT policy (only {@code dt/#}, {@code cmd/#} and Basic Ingest topics), and optionally persistence
 * so subscriptions and queued messages survive a restart of the broker. The test makes its own CA,
 * a server certificate for localhost and client certificates.
 */
final class MosquittoIotCore implements AutoCloseable {

    private static final Duration VALIDITY = Duration.ofDays(2);

    private final Path dir;
    private final int port;
    private final CertificateAuthority ca;
    private Process process;

    private MosquittoIotCore(Path dir, int port, CertificateAuthority ca) {
        this.dir = dir;
        this.port = port;
        this.ca = ca;
    }

    /** Writes the PKI and the configuration into {@code dir} and starts the broker on a free port. */
    static MosquittoIotCore start(Path dir, boolean persistent) throws Exception {
        Files.createDirectories(dir);
        // Mosquitto started as root switches user unless told otherwise; the files must stay readable.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        CertificateAuthority ca = CertificateAuthority.create("Stand-in IoT Core CA", VALIDITY);
        ca.writePem(dir.resolve("ca.pem"), dir.resolve("ca.key"));
        ca.issueServer("localhost", List.of("localhost"), List.of("127.0.0.1"), VALIDITY)
                .writePem(dir.resolve("server.pem"), dir.resolve("server.key"));
        Files.writeString(dir.resolve("acl"), """
                pattern readwrite dt/#
                pattern readwrite cmd/#
                pattern readwrite $aws/rules/#
                """);
        int port = LocalServices.freePort();
        Files.writeString(dir.resolve("mosquitto.conf"), """
                per_listener_settings false
                user root
                persistence %s
                persistence_location %s/
                autosave_interval 1
                log_dest stderr
                log_type error
                log_type warning
                allow_anonymous false
                max_inflight_messages 0
                max_queued_messages 100000
                listener %d 127.0.0.1
                cafile %s
                certfile %s
                keyfile %s
                require_certificate true
                use_identity_as_username true
                acl_file %s
                """.formatted(persistent, dir, port, dir.resolve("ca.pem"), dir.resolve("server.pem"),
                dir.resolve("server.key"), dir.resolve("acl")));
        MosquittoIotCore broker = new MosquittoIotCore(dir, port, ca);
        broker.startProcess();
        return broker;
    }

    /** A client certificate with common name {@code name}, signed by the broker's CA. */
    DeviceFiles client(String name) throws IOException {
        Path cert = dir.resolve(name + ".pem");
        Path key = dir.resolve(name + ".key");
        ca.issueClient(name, VALIDITY).writePem(cert, key);
        return new DeviceFiles(cert, key);
    }

    Path caCert() {
        return dir.resolve("ca.pem");
    }

    int port() {
        return port;
    }

    /** Stops the broker (SIGTERM: a persistent one saves its sessions). */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Lets clients publish and subscribe on {@code filter} too (the IoT policy fixed), from the next restart. */
    void allow(String filter) throws IOException {
        Files.writeString(dir.resolve("acl"), "pattern readwrite " + filter + "\n", java.nio.file.StandardOpenOption.APPEND);
    }

    /** Starts the broker again on the same port. */
    void restart() throws Exception {
        stop();
        startProcess();
    }

    private void startProcess() throws Exception {
        process = new ProcessBuilder("mosquitto", "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mosquitto exited with " + process.exitValue() + ": "
                        + Files.readString(dir.resolve("mosquitto.log")));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("mosquitto did not listen on port " + port);
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
