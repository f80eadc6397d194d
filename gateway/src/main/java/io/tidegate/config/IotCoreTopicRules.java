package io.tidegate.config;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * AWS IoT Core's rules for the topic of a PUBLISH: at most 256 UTF-8 bytes and 7 slashes (the
 * Basic Ingest prefix {@code $aws/rules/<rule>/} not counted), no wildcards, and no {@code $}
 * topics other than AWS's reserved {@code $aws/} ones. IoT Core disconnects a client that breaks
 * them, so they are checked before sending, not learnt from the connection closing.
 */
public final class IotCoreTopicRules {

    public static final int MAX_TOPIC_BYTES = 256;
    public static final int MAX_SLASHES = 7;
    private static final Pattern RULE_NAME = Pattern.compile("[a-zA-Z0-9_]{1,128}");

    private IotCoreTopicRules() {
    }

    /** Why {@code topic} (without any Basic Ingest prefix) cannot be published, or empty when it can. */
    public static Optional<String> problem(String topic) {
        if (topic.isEmpty()) {
            return Optional.of("the topic is empty");
        }
        int bytes = topic.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_TOPIC_BYTES) {
            return Optional.of("topic of " + bytes + " bytes exceeds IoT Core's " + MAX_TOPIC_BYTES);
        }
        int slashes = 0;
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '/') {
                slashes++;
            } else if (c == '+' || c == '#' || c == '\u0000') {
                return Optional.of("topic contains '" + (c == 0 ? "U+0000" : String.valueOf(c))
                        + "', which a PUBLISH topic may not");
            }
        }
        if (slashes > MAX_SLASHES) {
            return Optional.of("topic has " + slashes + " slashes; IoT Core allows " + MAX_SLASHES);
        }
        if (topic.startsWith("$") && !topic.startsWith("$aws/")) {
            return Optional.of("topics starting with '$' are reserved; only $aws/ topics may be published");
        }
        return Optional.empty();
    }

    /** Whether {@code name} is a valid IoT rule name (letters, digits and underscores, 1 to 128). */
    public static boolean isRuleName(String name) {
        return RULE_NAME.matcher(name).matches();
    }

    /** The topic to publish {@code topic} to through Basic Ingest of {@code rule}. */
    public static String basicIngest(String rule, String topic) {
        return "$aws/rules/" + rule + "/" + topic;
    }
}
