package io.tidegate.benchmarks;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import io.tidegate.security.certs.CertificateAuthority;
import io.tidegate.security.certs.DeviceFiles;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The local stand-ins of the AWS services for {@link DestinationDrain}, each on a free loopback port,
 * started the way the gateway's integration tests start them (io.tidegate.it.Kinesalite,
 * DynamoDbLocal, MosquittoIotCore), whose classes are test-scoped and so not usable here.
 */
final class StandIns {

    private StandIns() {
    }

    /** A running stand-in reached at {@code endpoint}; closing it stops it. */
    interface Service extends AutoCloseable {
        String endpoint();

        @Override
        void close();
    }

    /**
     * kinesalite ({@code node <cli.js>}, installed by destinations.sh). The caller must set
     * {@code aws.cborEnabled=false} before creating Kinesis clients: kinesalite truncates large CBOR responses.
     */
    static Service kinesalite(Path cli, Path log) {
        int port = freePort();
        try {
            Process process = new ProcessBuilder("node", cli.toString(), "--port", Integer.toString(port),
                    "--shardLimit", "50", "--createStreamMs", "50", "--deleteStreamMs", "50", "--updateStreamMs", "50")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            awaitPort(process, port, "kinesalite", log);
            return new ProcessService(process, "http://127.0.0.1:" + port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start kinesalite from " + cli, e);
        }
    }

    /** DynamoDB Local, in memory, in this JVM: its CPU use counts in the drain's machine load. */
    static Service dynamoDbLocal() {
        int port = freePort();
        DynamoDBProxyServer server;
        // It prints its configuration banner on System.out: sent to stderr, so stdout holds only the figures.
        PrintStream out = System.out;
        System.setOut(System.err);
        try {
            server = ServerRunner.createServerFromCommandLineArgs(
                    new String[] {"-inMemory", "-port", Integer.toString(port), "-disableTelemetry"});
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start", e);
        } finally {
            System.setOut(out);
        }
        return new Service() {
            @Override
            public String endpoint() {
                return "http://127.0.0.1:" + port;
            }

            @Override
            public void close() {
                try {
                    server.stop();
                } catch (Exception e) {
                    throw new IllegalStateException("DynamoDB Local did not stop", e);
                }
            }
        };
    }

    /** The IoT Core stand-in and the client certificate the gateway connects with. */
    record Mosquitto(Service service, int port, Path caCert, DeviceFiles gateway) implements AutoCloseable {
        @Override
        public void close() {
            service.close();
        }
    }

    /**
     * Mosquitto with mutual TLS like IoT Core's device endpoint (certificate CN as the user name, an
     * ACL allowing {@code dt/#}), with a CA, server and client certificate made by the gateway's own
     * {@link CertificateAuthority}. No persistence and no subscribers: publishes are acknowledged
     * and dropped, so the broker does as little as it can and the forwarder is what is measured.
     */
    static Mosquitto mosquitto(Path dir) {
        try {
            Files.createDirectories(dir);
            // Mosquitto started as root may switch user; "user root" below and readable files avoid that trap.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Duration validity = Duration.ofDays(2);
            CertificateAuthority ca = CertificateAuthority.create("Stand-in IoT Core CA", validity);
            ca.writePem(dir.resolve("ca.pem"), dir.resolve("ca.key"));
            ca.issueServer("localhost", List.of("localhost"), List.of("127.0.0.1"), validity)
                    .writePem(dir.resolve("server.pem"), dir.resolve("server.key"));
            DeviceFiles gateway = new DeviceFiles(dir.resolve("gateway.pem"), dir.resolve("gateway.key"));
            ca.issueClient("tidegate-gateway", validity).writePem(gateway.certificate(), gateway.privateKey());
            Files.writeString(dir.resolve("acl"), "pattern readwrite dt/#\n");
            int port = freePort();
            Path log = dir.resolve("mosquitto.log");
            Files.writeString(dir.resolve("mosquitto.conf"), """
                    per_listener_settings false
                    user root
                    persistence false
                    log_dest stderr
                    log_type error
                    log_type warning
                    allow_anonymous false
                    max_inflight_messages 0
                    listener %d 127.0.0.1
                    cafile %s
                    certfile %s
                    keyfile %s
                    require_certificate true
                    use_identity_as_username true
                    acl_file %s
                    """.formatted(port, dir.resolve("ca.pem"), dir.resolve("server.pem"), dir.resolve("server.key"),
                    dir.resolve("acl")));
            Process process = new ProcessBuilder("mosquitto", "-c", dir.resolve("mosquitto.conf").toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            awaitPort(process, port, "mosquitto", log);
            return new Mosquitto(new ProcessService(process, "localhost:" + port), port, dir.resolve("ca.pem"), gateway);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start mosquitto in " + dir, e);
        }
    }

    private record ProcessService(Process process, String endpoint) implements Service {
        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitPort(Process process, int port, String what, Path log) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(what + " exited with " + process.exitValue() + "; see " + log);
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return;
                } catch (IOException notYet) {
                    Thread.sleep(50);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        throw new IllegalStateException(what + " did not listen on port " + port + "; see " + log);
    }
}
