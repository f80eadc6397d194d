package io.tidegate.loadgen.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.loadgen.cli.LoadgenCliAccess;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** Test helpers around the CLI: JSON reports, and waiting for verify to pass while a sink catches up. */
final class Reports {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Reports() {
    }

    static JsonNode read(Path json) throws IOException {
        return JSON.readTree(json.toFile());
    }

    /** Runs verify until it passes or the timeout ends (the forwarder writes in batches); returns the last result. */
    static LoadgenCliAccess.Result verifyEventually(Duration timeout, String... args) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        LoadgenCliAccess.Result result = LoadgenCliAccess.run(args);
        while (result.exitCode() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            result = LoadgenCliAccess.run(args);
        }
        return result;
    }
}
