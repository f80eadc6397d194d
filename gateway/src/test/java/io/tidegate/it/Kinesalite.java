package io.tidegate.it;

import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * kinesalite 3.3.3 (a Kinesis stand-in on Node.js), installed with npm into
 * {@code gateway/target/kinesalite} on first use and run on a free loopback port. The SDK talks
 * JSON to it, not CBOR (with CBOR kinesalite truncates large responses): {@code aws.cborEnabled}
 * is set to false before any Kinesis client exists.
 */
final class Kinesalite implements ExtensionContext.Store.CloseableResource, AutoCloseable {

    private static final String VERSION = "3.3.3";
    static final Path HOME = Path.of(System.getProperty("basedir", "."), "target", "kinesalite");

    private final Process process;
    private final int port;

    private Kinesalite(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static Kinesalite start() {
        System.setProperty("aws.cborEnabled", "false");
        try {
            Path cli = installIfMissing();
            int port = LocalServices.freePort();
            Process process = new ProcessBuilder("node", cli.toString(), "--port", Integer.toString(port),
                    "--shardLimit", "50", "--createStreamMs", "50", "--deleteStreamMs", "50", "--updateStreamMs", "50")
                    .redirectErrorStream(true).redirectOutput(HOME.resolve("kinesalite.log").toFile()).start();
            awaitPort(process, port, HOME.resolve("kinesalite.log"));
            return new Kinesalite(process, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Installs kinesalite into {@link #HOME} unless it is there; returns its {@code cli.js}. */
    static Path installIfMissing() throws IOException, InterruptedException {
        Path cli = HOME.resolve("node_modules").resolve("kinesalite").resolve("cli.js");
        if (Files.exists(cli)) {
            return cli;
        }
        Files.createDirectories(HOME);
        Process npm = new ProcessBuilder(List.of("npm", "install", "--no-audit", "--no-fund", "--prefix", HOME.toString(),
                "kinesalite@" + VERSION)).redirectErrorStream(true).redirectOutput(HOME.resolve("npm.log").toFile()).start();
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0 || !Files.exists(cli)) {
            throw new IllegalStateException("npm install kinesalite@" + VERSION + " failed; see " + HOME.resolve("npm.log"));
        }
        return cli;
    }

    /** Waits until {@code process} listens on {@code port}; fails (pointing to {@code log}) if it exits or takes over 30 s. */
    static void awaitPort(Process process, int port, Path log) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("kinesalite exited with " + process.exitValue() + "; see " + log);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("kinesalite did not listen on port " + port);
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
