package io.tidegate.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * kinesalite (the install of {@link Kinesalite}) with its data in LevelDB on disk ({@code --path}),
 * so it can really be stopped (the Node.js process ends) and started again on the same port with
 * the same streams and records: a Kinesis outage, not a proxy that pretends one.
 */
final class PersistentKinesalite implements AutoCloseable {

    private final Path dataDir;
    private final Path log;
    private final int port;
    private Process process;

    private PersistentKinesalite(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        this.port = port;
    }

    /** Starts on a free port with its LevelDB store in {@code dataDir} (created if missing). */
    static PersistentKinesalite start(Path dataDir) {
        PersistentKinesalite kinesalite = new PersistentKinesalite(dataDir, LocalServices.freePort());
        kinesalite.startAgain();
        return kinesalite;
    }

    /** Starts the process (again) on the same port and store; returns when it listens. */
    synchronized void startAgain() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("kinesalite is running");
        }
        System.setProperty("aws.cborEnabled", "false");
        try {
            Path cli = Kinesalite.installIfMissing();
            Files.createDirectories(dataDir);
            process = new ProcessBuilder("node", cli.toString(), "--port", Integer.toString(port),
                    "--path", dataDir.toString(), "--shardLimit", "50",
                    "--createStreamMs", "50", "--deleteStreamMs", "50", "--updateStreamMs", "50")
                    .redirectErrorStream(true).redirectOutput(Redirect.appendTo(log.toFile())).start();
            Kinesalite.awaitPort(process, port, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the process (SIGTERM, then SIGKILL after 5 s) and waits until it is gone. */
    synchronized void stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        if (process.isAlive()) {
            throw new IllegalStateException("kinesalite (pid " + process.pid() + ") did not stop");
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
