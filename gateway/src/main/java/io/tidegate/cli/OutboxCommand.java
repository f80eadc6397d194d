package io.tidegate.cli;

import io.tidegate.config.TidegateConfig;
import io.tidegate.forward.Forwarder;
import io.tidegate.outbox.Outbox;
import io.tidegate.outbox.Outboxes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code tidegate outbox}: inspect outboxes (safe while the gateway runs: read-only). */
@Command(name = "outbox", mixinStandardHelpOptions = true, description = "Inspect the outboxes.",
        subcommands = {OutboxCommand.Stats.class})
final class OutboxCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code tidegate outbox stats}: entries, bytes and oldest age per destination. */
    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "Entries not yet delivered, their bytes and the oldest one's age, per destination.")
    static final class Stats implements Callable<Integer> {

        @Mixin
        ConfigOptions options;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            TidegateConfig config = options.load();
            Path root = Outboxes.root(config.dataDir().toAbsolutePath().normalize());
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%-20s %12s %14s %16s%n", "DESTINATION", "ENTRIES", "BYTES", "OLDEST_AGE_S");
            long now = System.currentTimeMillis();
            for (String name : config.destinations().keySet()) {
                Path dir = root.resolve(name);
                if (!Files.isDirectory(dir)) {
                    out.printf("%-20s %12s %14s %16s%n", name, "-", "-", "-");
                    continue;
                }
                try (Outbox outbox = Outbox.openExisting(name, dir)) {
                    Outbox.BacklogSummary backlog = outbox.summarizeAfter(outbox.storedPosition(Forwarder.READER_NAME));
                    String age = backlog.oldestIngestMillis() < 0 ? "0"
                            : String.format("%.1f", (now - backlog.oldestIngestMillis()) / 1000.0);
                    out.printf("%-20s %12d %14d %16s%n", name, backlog.entries(), backlog.bytes(), age);
                }
            }
            out.flush();
            return 0;
        }
    }
}
