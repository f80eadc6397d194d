package io.tidegate.cli;

import io.tidegate.config.ActionConfig;
import io.tidegate.config.ConfigException;
import io.tidegate.config.ConfigProblem;
import io.tidegate.config.RuleConfig;
import io.tidegate.config.TidegateConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code tidegate rules check}: loads the configuration as {@code run} would and reports every
 * problem (rules included: SQL and template errors carry their line and column). Exit 0 when the
 * configuration is usable, 2 otherwise.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validate the configuration's rules and templates; list every problem with its position.")
final class RulesCheckCommand implements Callable<Integer> {

    private static final int INVALID = 2;

    @Mixin
    ConfigOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TidegateConfig config;
        try {
            config = options.load();
        } catch (ConfigException e) {
            int count = e.problems().size();
            err.println("tidegate rules check: " + count + (count == 1 ? " problem:" : " problems:"));
            for (ConfigProblem problem : e.problems()) {
                err.println("  " + problem);
            }
            err.flush();
            return INVALID;
        }
        int count = config.rules().size();
        out.println(count == 0
                ? "No rules: every message goes to " + config.routing().defaultDestination() + " unchanged."
                : count + (count == 1 ? " rule" : " rules") + " OK:");
        for (RuleConfig rule : config.rules()) {
            out.println("  " + rule.name() + (rule.isEnabled() ? "" : " (disabled)") + " -> "
                    + rule.actions().stream().map(ActionConfig::destination).collect(Collectors.joining(", ")));
        }
        out.flush();
        return 0;
    }
}
