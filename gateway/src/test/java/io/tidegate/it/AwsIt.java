package io.tidegate.it;

import io.micrometer.core.instrument.Counter;
import io.tidegate.Gateway;
import io.tidegate.cli.TidegateCli;
import io.tidegate.testing.Await;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** What the AWS destination ITs share: gateway config files, waiting for delivery, the dump command. */
final class AwsIt {

    static final Duration TIMEOUT = Duration.ofSeconds(90);

    private AwsIt() {
    }

    /** A config whose default destination {@code name} is described by {@code destinationYaml} (indented 4). */
    static Path config(Path dir, String name, String destinationYaml) throws Exception {
        Path file = dir.resolve("tidegate.yaml");
        Files.writeString(file, """
                listeners:
                  mqtts: {enabled: false}
                mqtt:
                  maxPacketSizeBytes: 2000000
                routing:
                  defaultDestination: %s
                destinations:
                  %s:
                %s
                """.formatted(name, name, destinationYaml.stripTrailing()));
        return file;
    }

    static double counter(Gateway gateway, String meter, String destination) {
        Counter counter = gateway.registry().find(meter).tag("destination", destination).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Waits until the destination accepted or dead-lettered {@code count} messages. */
    static void awaitForwarded(Gateway gateway, String destination, long count) {
        until("forwarded " + count + " to " + destination, () ->
                counter(gateway, "tidegate.forwarded.messages", destination)
                        + counter(gateway, "tidegate.forward.rejects", destination) >= count);
    }

    static void until(String what, BooleanSupplier condition) {
        Await.until(what, TIMEOUT, condition);
    }

    /** Runs {@code tidegate outbox dump ARGS} in this JVM; returns its output lines. */
    static List<String> dump(Path configFile, Path dataDir, String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = TidegateCli.commandLine();
        cli.setOut(new PrintWriter(out));
        String[] all = new String[args.length + 6];
        all[0] = "outbox";
        all[1] = "dump";
        System.arraycopy(args, 0, all, 2, args.length);
        all[args.length + 2] = "--config";
        all[args.length + 3] = configFile.toString();
        all[args.length + 4] = "--data-dir";
        all[args.length + 5] = dataDir.toString();
        int exit = cli.execute(all);
        if (exit != 0) {
            throw new AssertionError("outbox dump exited with " + exit);
        }
        return out.toString().lines().toList();
    }
}
