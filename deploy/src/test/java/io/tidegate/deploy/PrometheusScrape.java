package io.tidegate.deploy;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Prometheus text exposition: sample names, their label names, and the type of each family. */
final class PrometheusScrape {

    private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)$");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+\\S+.*$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final List<String> SUFFIXES = List.of("_total", "_bucket", "_sum", "_count", "_created", "_info");

    private final Map<String, Set<String>> labelsBySample = new HashMap<>();
    private final Map<String, String> typeByFamily = new HashMap<>();

    PrometheusScrape(String text) {
        for (String line : text.split("\n")) {
            Matcher type = TYPE.matcher(line);
            if (type.matches()) {
                typeByFamily.put(type.group(1), type.group(2));
                continue;
            }
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                throw new IllegalArgumentException("not a sample line: " + line);
            }
            Set<String> labels = labelsBySample.computeIfAbsent(sample.group(1), k -> new LinkedHashSet<>());
            if (sample.group(3) != null) {
                Matcher label = LABEL.matcher(sample.group(3));
                while (label.find()) {
                    labels.add(label.group(1));
                }
            }
        }
    }

    Set<String> samples() {
        return labelsBySample.keySet();
    }

    boolean has(String sample) {
        return labelsBySample.containsKey(sample);
    }

    Set<String> labels(String sample) {
        return labelsBySample.getOrDefault(sample, Set.of());
    }

    /** The type of the family a sample belongs to (counter, gauge, histogram, summary, untyped). */
    Optional<String> type(String sample) {
        if (typeByFamily.containsKey(sample)) {
            return Optional.of(typeByFamily.get(sample));
        }
        for (String suffix : SUFFIXES) {
            if (sample.endsWith(suffix)) {
                String family = sample.substring(0, sample.length() - suffix.length());
                if (typeByFamily.containsKey(family)) {
                    return Optional.of(typeByFamily.get(family));
                }
            }
        }
        return Optional.empty();
    }
}
