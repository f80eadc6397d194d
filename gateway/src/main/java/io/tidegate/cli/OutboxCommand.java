package io.tidegate.cli;

import io.tidegate.config.TidegateConfig;
import io.tidegate.forward.Forwarder;
import io.tidegate.outbox.Outbox;
import io.tidegate.outbox.OutboxEntry;
import io.tidegate.outbox.OutboxReader;
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
            description = "Entries not yet delivered, bytes on disk and the oldest undelivered entry's age, per destination.")
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
            out.printf("%-20s %12s %14s %16s%n", "DESTINATION", "ENTRIES", "DISK_BYTES", "OLDEST_AGE_S");
            for (String name : config.destinations().keySet()) {
                Path dir = root.resolve(name);
                if (!Files.isDirectory(dir)) {
                    out.printf("%-20s %12s %14s %16s%n", name, "-", "-", "-");
                    continue;
                }
                try (Outbox outbox = Outbox.openExisting(name, dir)) {
                    long committed = outbox.storedPosition(Forwarder.READER_NAME);
                    long entries = outbox.countAfter(committed);
                    out.printf("%-20s %12d %14d %16s%n", name, entries, outbox.diskBytes(),
                            entries == 0 ? "0" : String.format("%.1f", oldestAgeSeconds(outbox, committed)));
                }
            }
            out.flush();
            return 0;
        }

        private static double oldestAgeSeconds(Outbox outbox, long committed) {
            try (OutboxReader reader = outbox.openBrowserAt(committed)) {
                OutboxEntry oldest = reader.next();
                return oldest == null ? 0 : (System.currentTimeMillis() - oldest.ingestTimeMillis()) / 1000.0;
            }
        }
    }
}
