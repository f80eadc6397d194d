package io.tidegate.config;

import java.util.ArrayList;
import java.util.List;

/** Gathers validation problems in the house style: {@code path: value is not allowed; expected ...}. */
final class ProblemCollector {

    private final List<ConfigProblem> problems = new ArrayList<>();

    void add(ConfigPath path, String message) {
        problems.add(new ConfigProblem(path.toString(), message));
    }

    void notAllowed(ConfigPath path, Object value, String expected) {
        add(path, ConfigValues.render(value) + " is not allowed; expected " + expected);
    }

    /** Reports a missing value; returns whether it is present, so callers can skip further checks. */
    boolean present(ConfigPath path, Object value, String expected) {
        if (value == null) {
            add(path, "missing; expected " + expected);
            return false;
        }
        return true;
    }

    void range(ConfigPath path, Number value, long min, long max) {
        String expected = "an integer from " + min + " to " + max;
        if (present(path, value, expected) && (value.longValue() < min || value.longValue() > max)) {
            notAllowed(path, value, expected);
        }
    }

    void atLeast(ConfigPath path, Number value, long min) {
        String expected = "an integer of at least " + min;
        if (present(path, value, expected) && value.longValue() < min) {
            notAllowed(path, value, expected);
        }
    }

    void port(ConfigPath path, Integer port) {
        range(path, port, 0, 65_535);
    }

    void host(ConfigPath path, String host) {
        String expected = "a host name or IP address to bind";
        if (present(path, host, expected) && host.isBlank()) {
            notAllowed(path, host, expected);
        }
    }

    List<ConfigProblem> problems() {
        return List.copyOf(problems);
    }
}
