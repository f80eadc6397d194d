package io.tidegate.loadgen.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tidegate-loadgen}: the command-line entry point. */
@Command(name = "tidegate-loadgen", mixinStandardHelpOptions = true, versionProvider = LoadgenCli.VersionProvider.class,
        description = "Simulates an MQTT device fleet against any broker, measures it, and verifies what reached a destination.",
        subcommands = {RunCommand.class, VerifyCommand.class, CommandLine.HelpCommand.class})
public final class LoadgenCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests call {@code execute} on it. */
    public static CommandLine commandLine() {
        return new CommandLine(new LoadgenCli()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = LoadgenCli.class.getPackage().getImplementationVersion();
            return new String[] {"tidegate-loadgen " + (version == null ? "dev" : version), "Java " + Runtime.version()};
        }
    }
}
