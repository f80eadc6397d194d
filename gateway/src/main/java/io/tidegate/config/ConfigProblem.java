package io.tidegate.config;

import java.util.Objects;

/**
 * One thing wrong with the configuration.
 *
 * @param subject where the problem is: a field path such as {@code listeners.mqtts.port}, or a source
 *                such as {@code config file /etc/tidegate.yaml} or {@code environment variable TIDEGATE_X}
 * @param message what is wrong and what is allowed instead
 */
public record ConfigProblem(String subject, String message) {

    public ConfigProblem {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(message, "message");
    }

    /** Prints as {@code subject: message}, the form shown to operators. */
    @Override
    public String toString() {
        return subject + ": " + message;
    }
}
