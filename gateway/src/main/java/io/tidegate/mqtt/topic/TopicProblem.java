package io.tidegate.mqtt.topic;

/**
 * Why a topic name or topic filter is invalid, with the normative statement it breaks. Statement
 * numbers follow MQTT 3.1.1 except for shared subscriptions, which only MQTT 5.0 defines.
 *
 * <p>MQTT 5 reason codes: a bad topic name is Topic Name invalid (0x90), a bad filter is Topic
 * Filter invalid (0x8F); in MQTT 3.1.1 the connection is closed or the SUBACK entry fails.
 */
public enum TopicProblem {
    EMPTY("MQTT-4.7.3-1", "must be at least one character long"),
    TOO_LONG("MQTT-4.7.3-3", "must not encode to more than 65535 UTF-8 bytes"),
    NULL_CHARACTER("MQTT-4.7.3-2", "must not contain the null character U+0000"),
    UNPAIRED_SURROGATE("MQTT-1.5.3-1", "must not contain an unpaired UTF-16 surrogate (not well-formed UTF-8)"),
    WILDCARD_IN_TOPIC_NAME("MQTT-3.3.2-2", "a topic name must not contain the wildcards + or #"),
    MISPLACED_MULTI_LEVEL_WILDCARD("MQTT-4.7.1-2", "# must be alone in the last level of a filter"),
    MISPLACED_SINGLE_LEVEL_WILDCARD("MQTT-4.7.1-3", "+ must occupy an entire level of a filter"),
    EMPTY_SHARE_NAME("MQTT-4.8.2-1", "a shared subscription needs a ShareName of at least one character"),
    WILDCARD_IN_SHARE_NAME("MQTT-4.8.2-2", "a ShareName must not contain the wildcards + or #"),
    MISSING_SHARED_FILTER("MQTT-4.8.2-2", "a ShareName must be followed by / and a topic filter");

    private final String statement;
    private final String description;

    TopicProblem(String statement, String description) {
        this.statement = statement;
        this.description = description;
    }

    /** The normative statement broken, e.g. {@code MQTT-4.7.3-1}. */
    public String statement() {
        return statement;
    }

    /** What is wrong, in words. */
    public String description() {
        return description;
    }

    /** A log-ready reason, e.g. {@code "must be at least one character long [MQTT-4.7.3-1]"}. */
    @Override
    public String toString() {
        return description + " [" + statement + "]";
    }
}
