package io.tidegate.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The configuration cannot be used. Carries every problem found so an operator can fix them in one go;
 * {@link #getMessage()} lists them one per line.
 */
public class ConfigException extends RuntimeException {

    private final List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        this(problems, null);
    }

    public ConfigException(List<ConfigProblem> problems, Throwable cause) {
        super(join(problems), cause);
        this.problems = List.copyOf(problems);
    }

    public ConfigException(ConfigProblem problem, Throwable cause) {
        this(List.of(problem), cause);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String join(List<ConfigProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        return problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n"));
    }
}
