package io.tidegate.loadgen.it;

import io.tidegate.security.certs.DevelopmentPki;
import io.tidegate.security.certs.DevelopmentPkiFiles;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Mosquitto, started by the test: a plain listener and a mutual-TLS listener (device
 * identity from the certificate's CN), with certificates from a development PKI made for the test.
 */
final class MosquittoBroker implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private final Process process;
    private final int plainPort;
    private final int tlsPort;
    private final DevelopmentPkiFiles pki;
    private final Path log;

    MosquittoBroker(Path dir) throws Exception {
        pki = DevelopmentPki.ensure(dir.resolve("certs"), List.of());
        plainPort = freePort();
        tlsPort = freePort();
        log = dir.resolve("mosquitto.log");
        Path config = dir.resolve("mosquitto.conf");
        Files.writeString(config, String.join("\n",
                // Started as root it would switch to user mosquitto, which cannot read the 0600 test key.
                "user " + System.getProperty("user.name"),
                "per_listener_settings false",
                "persistence false",
                "log_dest stderr",
                "allow_anonymous true",
                "max_queued_messages 100000",
                "listener " + plainPort + " 127.0.0.1",
                "listener " + tlsPort + " 127.0.0.1",
                "cafile " + pki.caCert(),
                "certfile " + pki.serverChain(),
                "keyfile " + pki.serverKey(),
                "require_certificate true",
                "use_identity_as_username true",
                ""));
        process = new ProcessBuilder(BINARY.toString(), "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        awaitListening(plainPort);
        awaitListening(tlsPort);
    }

    String plainUrl() {
        return "mqtt://127.0.0.1:" + plainPort;
    }

    String tlsUrl() {
        return "mqtts://127.0.0.1:" + tlsPort;
    }

    Path caCert() {
        return pki.caCert();
    }

    Path caKey() {
        return pki.caKey();
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    private void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mosquitto exited: " + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("mosquitto did not listen on " + port + ": " + log());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
