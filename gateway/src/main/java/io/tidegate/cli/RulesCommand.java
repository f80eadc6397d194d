package io.tidegate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tidegate rules}: try out and check AWS IoT SQL rules. */
@Command(name = "rules", mixinStandardHelpOptions = true, description = "Evaluate and check AWS IoT SQL rules.",
        subcommands = {RulesEvalCommand.class, RulesCheckCommand.class})
final class RulesCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
