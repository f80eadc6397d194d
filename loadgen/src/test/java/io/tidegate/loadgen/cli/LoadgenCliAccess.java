package io.tidegate.loadgen.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the CLI in-process for tests, with its output captured. */
public final class LoadgenCliAccess {

    private LoadgenCliAccess() {
    }

    public static int execute(String... args) {
        return run(args).exitCode();
    }

    public record Result(int exitCode, String out, String err) {
    }

    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = LoadgenCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
