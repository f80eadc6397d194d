package io.tidegate.cli;

import io.tidegate.config.TidegateConfig;
import io.tidegate.forward.DeadLetters;
import io.tidegate.forward.Forwarder;
import io.tidegate.forward.file.JsonLineEncoder;
import io.tidegate.outbox.MessageProperties;
import io.tidegate.outbox.Outbox;
import io.tidegate.outbox.OutboxAppender;
import io.tidegate.outbox.OutboxEntry;
import io.tidegate.outbox.OutboxReader;
import io.tidegate.outbox.Outboxes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code tidegate outbox}: inspect outboxes (safe while the gateway runs: read-only). */
@Command(name = "outbox", mixinStandardHelpOptions = true, description = "Inspect the outboxes.",
        subcommands = {OutboxCommand.Stats.class, OutboxCommand.Dump.class, OutboxCommand.Replay.class})
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

    /**
     * {@code tidegate outbox dump NAME}: the entries of an outbox as JSON lines (the file sink's
     * line plus {@code index}); NAME is a destination or {@code deadletter/<destination>}.
     */
    @Command(name = "dump", mixinStandardHelpOptions = true,
            description = "Prints an outbox's entries as JSON lines: by default those the forwarder has not yet"
                    + " delivered; NAME is a destination or deadletter/<destination>.")
    static final class Dump implements Callable<Integer> {

        @Mixin
        ConfigOptions options;

        @CommandLine.Parameters(index = "0", paramLabel = "NAME", description = "destination or deadletter/<destination>")
        String name;

        @CommandLine.Option(names = "--limit", paramLabel = "N", description = "print at most N entries")
        long limit = Long.MAX_VALUE;

        @CommandLine.Option(names = "--from-start", description = "from the oldest entry kept, not after the"
                + " forwarder's committed position")
        boolean fromStart;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            TidegateConfig config = options.load();
            Path dataDir = config.dataDir().toAbsolutePath().normalize();
            String destination = name.startsWith(DeadLetters.FOLDER + "/")
                    ? name.substring(DeadLetters.FOLDER.length() + 1) : name;
            PrintWriter err = spec.commandLine().getErr();
            if (!config.destinations().containsKey(destination)) {
                err.println("unknown outbox " + name + "; expected one of the destinations ("
                        + String.join(", ", config.destinations().keySet()) + ") or deadletter/<destination>");
                err.flush();
                return 2;
            }
            Path dir = destination.equals(name) ? Outboxes.root(dataDir).resolve(name)
                    : DeadLetters.directory(dataDir, destination);
            PrintWriter out = spec.commandLine().getOut();
            if (!Files.isDirectory(dir)) {
                out.flush();
                return 0;
            }
            JsonLineEncoder lines = new JsonLineEncoder();
            try (Outbox outbox = Outbox.openExisting(name, dir)) {
                long position = fromStart ? Outbox.NO_POSITION : outbox.storedPosition(Forwarder.READER_NAME);
                try (OutboxReader reader = outbox.openBrowserAt(position)) {
                    long printed = 0;
                    for (OutboxEntry entry = reader.next(); entry != null && printed < limit; entry = reader.next()) {
                        out.println(lines.line(entry));
                        printed++;
                    }
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Queues a destination's dead letters again, once the cause of their rejection is fixed:"
                    + " each entry not replayed before goes back into the outbox named by --to (same message id,"
                    + " without the dead-letter properties). Safe to run while the gateway runs; running it again"
                    + " replays only what was dead-lettered since.")
    static final class Replay implements Callable<Integer> {

        @Mixin
        ConfigOptions options;

        @CommandLine.Parameters(index = "0", paramLabel = "deadletter/DESTINATION", description = "the dead letters to replay")
        String name;

        @CommandLine.Option(names = "--to", required = true, paramLabel = "DESTINATION",
                description = "the destination whose outbox takes them")
        String target;

        @CommandLine.Option(names = "--limit", paramLabel = "N", description = "replay at most N entries")
        long limit = Long.MAX_VALUE;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            TidegateConfig config = options.load();
            Path dataDir = config.dataDir().toAbsolutePath().normalize();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            String prefix = DeadLetters.FOLDER + "/";
            String source = name.startsWith(prefix) ? name.substring(prefix.length()) : null;
            if (source == null || !config.destinations().containsKey(source)) {
                return usage(err, "expected deadletter/<destination> with a configured destination ("
                        + String.join(", ", config.destinations().keySet()) + "), got " + name);
            }
            if (!config.destinations().containsKey(target)) {
                return usage(err, "--to " + target + " is not a configured destination ("
                        + String.join(", ", config.destinations().keySet()) + ")");
            }
            Path deadDir = DeadLetters.directory(dataDir, source);
            if (!Files.isDirectory(deadDir)) {
                out.println("replayed 0 entries: " + name + " is empty");
                out.flush();
                return 0;
            }
            long replayed = 0;
            try (Outbox dead = Outbox.open(name, deadDir, config.outbox().rollCycle());
                 Outbox into = Outbox.open(target, Outboxes.root(dataDir).resolve(target), config.outbox().rollCycle());
                 OutboxReader reader = dead.openReader(REPLAY_READER_PREFIX + target);
                 OutboxAppender appender = into.newAppender()) {
                OutboxEntry last = null;
                long bytes = 0;
                for (OutboxEntry entry = reader.next(); entry != null && replayed < limit; entry = reader.next()) {
                    appender.append(entry.messageId().getMostSignificantBits(),
                            entry.messageId().getLeastSignificantBits(), entry.ingestTimeMillis(), entry.clientId(),
                            entry.topic(), entry.qos(), entry.retain(), withoutDeadLetterMarks(entry.properties()),
                            entry.actionSettings(), entry.payload(), entry.payload().length);
                    last = entry;
                    bytes += entry.encodedBytes();
                    replayed++;
                }
                if (last != null) {
                    appender.sync();
                    reader.commit(last.index(), replayed, bytes);
                }
            }
            out.println("replayed " + replayed + " entries from " + name + " to " + target);
            out.flush();
            return 0;
        }

        private static int usage(PrintWriter err, String message) {
            err.println(message);
            err.flush();
            return 2;
        }

        private static MessageProperties withoutDeadLetterMarks(MessageProperties p) {
            List<Map.Entry<String, String>> user = p.userProperties().stream()
                    .filter(e -> !e.getKey().equals(DeadLetters.REASON_PROPERTY)
                            && !e.getKey().equals(DeadLetters.DESTINATION_PROPERTY))
                    .toList();
            return new MessageProperties(p.payloadFormatUtf8(), p.messageExpirySeconds(), p.contentType(),
                    p.responseTopic(), p.correlationData(), user);
        }
    }

    /** The dead-letter outbox's reader that remembers what was replayed to a destination. */
    static final String REPLAY_READER_PREFIX = "replay-to-";
}
