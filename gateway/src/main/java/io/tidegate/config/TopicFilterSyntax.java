package io.tidegate.config;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks policy topic filters against MQTT's filter syntax. The variables {@code ${clientid}} and
 * {@code ${cn}} are replaced per client at authorization time, so they count as plain text within
 * one level; any other {@code ${...}} is most likely a typo and is rejected.
 */
final class TopicFilterSyntax {

    static final Set<String> VARIABLES = Set.of("clientid", "cn");

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)}");
    private static final int MAX_UTF8_BYTES = 65_535;

    private TopicFilterSyntax() {
    }

    /** @return why {@code filter} is not a valid policy filter, phrased to follow "is not allowed; ", or empty */
    static Optional<String> problem(String filter) {
        if (filter.isEmpty()) {
            return Optional.of("expected a non-empty topic filter");
        }
        Matcher variables = VARIABLE.matcher(filter);
        while (variables.find()) {
            if (!VARIABLES.contains(variables.group(1))) {
                return Optional.of("unknown variable " + variables.group() + "; expected only ${clientid} or ${cn}");
            }
        }
        String plain = variables.replaceAll("v");
        if (plain.indexOf('\u0000') >= 0) {
            return Optional.of("expected a topic filter without the NUL character");
        }
        if (filter.getBytes(StandardCharsets.UTF_8).length > MAX_UTF8_BYTES) {
            return Optional.of("expected a topic filter of at most " + MAX_UTF8_BYTES + " bytes");
        }
        String[] levels = plain.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && !(level.equals("#") && i == levels.length - 1)) {
                return Optional.of("'#' must be alone in the last level; expected a filter such as a/b/#");
            }
            if (level.contains("+") && !level.equals("+")) {
                return Optional.of("'+' must be alone in its level; expected a filter such as a/+/c");
            }
        }
        return Optional.empty();
    }
}
