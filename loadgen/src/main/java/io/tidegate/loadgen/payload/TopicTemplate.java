package io.tidegate.loadgen.payload;

import io.tidegate.loadgen.scenario.ScenarioException;

import java.util.Arrays;
import java.util.stream.Collectors;

/** A publish topic with {@code {device}} standing for the device id, e.g. {@code dt/{device}/telemetry}. */
public final class TopicTemplate {

    private static final String DEVICE = "{device}";

    private final String text;

    private TopicTemplate(String text) {
        this.text = text;
    }

    public static TopicTemplate parse(String key, String text) {
        if (text.isEmpty() || text.contains("+") || text.contains("#")) {
            throw new ScenarioException(key + ": '" + text + "' is not a publish topic (empty, or has a wildcard)");
        }
        String rest = text.replace(DEVICE, "");
        if (rest.contains("{") || rest.contains("}")) {
            throw new ScenarioException(key + ": '" + text + "' has a placeholder other than {device}");
        }
        return new TopicTemplate(text);
    }

    public String topicFor(String deviceId) {
        return text.replace(DEVICE, deviceId);
    }

    /** A subscription filter matching every device's topic: each level holding {@code {device}} becomes {@code +}. */
    public String asFilter() {
        return Arrays.stream(text.split("/", -1))
                .map(level -> level.contains(DEVICE) ? "+" : level)
                .collect(Collectors.joining("/"));
    }

    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
