package io.tidegate.it;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * DynamoDB Local as an HTTP server in this JVM with its tables in a SQLite file on disk
 * ({@code -dbPath}, {@code -sharedDb}: one database whatever the credentials and region), so it can
 * be stopped (the server closes its port) and started again on the same port with the same data.
 * SQLite syncs every write: on this project's disks that makes DynamoDB Local ~50 items/s instead
 * of thousands, so {@link #startOnTmpfs} keeps the file in {@code /dev/shm} when there is one (a
 * real file all the same, which outlives the server).
 */
final class PersistentDynamoDbLocal implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private final boolean deleteOnClose;
    private DynamoDBProxyServer server;

    private PersistentDynamoDbLocal(Path dataDir, int port, boolean deleteOnClose) {
        this.dataDir = dataDir;
        this.port = port;
        this.deleteOnClose = deleteOnClose;
    }

    /** Starts with its database in a new folder of {@code /dev/shm}, deleted on close; else in {@code fallback}. */
    static PersistentDynamoDbLocal startOnTmpfs(Path fallback) {
        Path shm = Path.of("/dev/shm");
        if (!Files.isDirectory(shm) || !Files.isWritable(shm)) {
            return start(fallback);
        }
        try {
            PersistentDynamoDbLocal local = new PersistentDynamoDbLocal(
                    Files.createTempDirectory(shm, "tidegate-dynamodb-"), LocalServices.freePort(), true);
            local.startAgain();
            return local;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PersistentDynamoDbLocal start(Path dataDir) {
        PersistentDynamoDbLocal local = new PersistentDynamoDbLocal(dataDir, LocalServices.freePort(), false);
        local.startAgain();
        return local;
    }

    /** Starts a new server on the same port and database file. */
    synchronized void startAgain() {
        if (server != null) {
            throw new IllegalStateException("DynamoDB Local is running");
        }
        try {
            Files.createDirectories(dataDir);
            DynamoDBProxyServer started = ServerRunner.createServerFromCommandLineArgs(new String[] {
                    "-port", Integer.toString(port), "-dbPath", dataDir.toString(), "-sharedDb", "-disableTelemetry"});
            started.start();
            server = started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start on port " + port, e);
        }
    }

    /** Stops the server: its port is closed when this returns. */
    synchronized void stop() throws Exception {
        if (server != null) {
            DynamoDBProxyServer running = server;
            server = null;
            running.stop();
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() throws Exception {
        stop();
        if (deleteOnClose) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
