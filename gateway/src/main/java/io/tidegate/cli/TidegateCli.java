package io.tidegate.cli;

import io.tidegate.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tidegate}: the command-line entry point. */
@Command(name = "tidegate", mixinStandardHelpOptions = true, versionProvider = TidegateCli.VersionProvider.class,
        description = "Telemetry ingestion gateway: MQTT in, durable outbox, forwarded to the cloud.",
        subcommands = {RunCommand.class, CertsCommand.class, OutboxCommand.class, RulesCommand.class,
                CommandLine.HelpCommand.class})
public final class TidegateCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Before any Chronicle class loads: it would otherwise try to reach an analytics host.
        System.setProperty("chronicle.analytics.disable", "true");
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (also used by tests, which call {@code execute} on it). */
    public static CommandLine commandLine() {
        return new CommandLine(new TidegateCli()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"tidegate " + Version.get(), "Java " + Runtime.version()};
        }
    }
}
