package io.tidegate.loadgen.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The gateway's file sink: every {@code *.ndjson} file under a folder (recursively, in name order),
 * one JSON object per line. A line that is not JSON, such as a half-written last line while the
 * gateway is still writing, counts as unsequenced.
 */
public final class FileSinkSource implements VerifySource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;

    public FileSinkSource(Path directory) {
        this.directory = directory;
    }

    @Override
    public void readInto(SequenceLedger ledger) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IOException("file sink folder " + directory + " does not exist");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(p -> p.getFileName().toString().endsWith(".ndjson")).sorted().toList();
        }
        for (Path file : files) {
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (!line.isBlank()) {
                        readLine(ledger, line);
                    }
                }
            }
        }
    }

    private static void readLine(SequenceLedger ledger, String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (IOException e) {
            ledger.recordUnsequenced();
            return;
        }
        MessageRecords.record(ledger, node, null);
    }

    @Override
    public String describe() {
        return "file:" + directory;
    }
}
