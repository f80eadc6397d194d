package io.tidegate.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Reads what reached the file sink: every line of every {@code .ndjson} file, in file order. */
final class SinkLines {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SinkLines() {
    }

    static List<JsonNode> read(Path sinkDir) {
        if (!Files.isDirectory(sinkDir)) {
            return List.of();
        }
        List<JsonNode> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(sinkDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".ndjson")).sorted().toList()) {
                for (String line : Files.readAllLines(file)) {
                    if (!line.isBlank()) {
                        lines.add(JSON.readTree(line));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    /** Polls until {@code done} holds for the sink's lines or the timeout passes; returns the last read. */
    static List<JsonNode> awaitLines(Path sinkDir, Predicate<List<JsonNode>> done, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JsonNode> lines = read(sinkDir);
        while (!done.test(lines) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            lines = read(sinkDir);
        }
        return lines;
    }

    /** The {@code seq} field of each line's JSON payload, per client id, in sink order. */
    static Map<String, List<Integer>> sequencesByClient(List<JsonNode> lines) {
        Map<String, List<Integer>> result = new LinkedHashMap<>();
        for (JsonNode line : lines) {
            JsonNode seq = line.path("payload").path("seq");
            if (seq.isInt()) {
                result.computeIfAbsent(line.get("clientId").asText(), k -> new ArrayList<>()).add(seq.asInt());
            }
        }
        return result;
    }
}
