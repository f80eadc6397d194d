package io.tidegate.loadgen.cli;

import io.tidegate.loadgen.report.HtmlReport;
import io.tidegate.loadgen.report.JsonReport;
import io.tidegate.loadgen.report.RunReport;
import io.tidegate.loadgen.report.TextReport;
import io.tidegate.loadgen.run.LoadRun;
import io.tidegate.loadgen.scenario.LoadSpec;
import io.tidegate.loadgen.scenario.ScenarioException;
import io.tidegate.loadgen.scenario.ScenarioFiles;
import io.tidegate.loadgen.scenario.ScenarioSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code tidegate-loadgen run}: one load run from a scenario file and/or flags (flags win). Exit
 * code 0 when no error was counted, 1 when some were (the reports are written either way), 2 for
 * a bad scenario or flag.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Simulate a device fleet against an MQTT broker and report throughput, latency and errors.",
                "Progress goes to stderr once a second; the summary to stdout."})
final class RunCommand implements Callable<Integer> {

    @Option(names = "--scenario", paramLabel = "FILE", description = "Scenario file (YAML); flags override its values")
    Path scenario;

    @Mixin
    ScenarioSettings flags = new ScenarioSettings();

    @Option(names = "--json", paramLabel = "FILE", description = "Write the report as JSON")
    Path json;

    @Option(names = "--html", paramLabel = "FILE", description = "Write the report as a self-contained HTML page")
    Path html;

    @Option(names = "--quiet", description = "No progress line")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LoadSpec load;
        try {
            ScenarioSettings settings = scenario == null ? flags : ScenarioFiles.load(scenario).overriddenBy(flags);
            load = LoadSpec.from(settings);
        } catch (ScenarioException e) {
            err.println("tidegate-loadgen: " + e.getMessage());
            err.flush();
            return 2;
        }
        PrintStream progress = quiet ? null : System.err;
        RunReport report = new LoadRun(load, progress).execute();
        out.print(TextReport.render(report));
        if (json != null) {
            JsonReport.write(report, json);
            out.println("JSON report: " + json);
        }
        if (html != null) {
            HtmlReport.write(report, html);
            out.println("HTML report: " + html);
        }
        out.flush();
        return report.counts().errors() == 0 ? 0 : 1;
    }
}
