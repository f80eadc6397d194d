package io.tidegate.mqtt.topic;

/**
 * A parsed MQTT 5 shared subscription {@code $share/{shareName}/{filter}}.
 *
 * @param shareName the group whose members share the messages; non-empty, no {@code / + #}
 * @param filter    the plain topic filter messages are matched against
 */
public record SharedSubscription(String shareName, String filter) {

    static final String SHARE_LEVEL = "$share";
    static final String PREFIX = SHARE_LEVEL + "/";

    /**
     * Parses a shared subscription.
     *
     * @return the parsed form, or {@code null} when {@code topicFilter} is not a valid shared
     *         subscription (a plain filter, or a malformed {@code $share} one; use
     *         {@link Topics#validateTopicFilter} to learn which)
     */
    public static SharedSubscription parse(String topicFilter) {
        if (!Topics.isShared(topicFilter) || Topics.validateTopicFilter(topicFilter) != null) {
            return null;
        }
        int separator = topicFilter.indexOf('/', PREFIX.length());
        return new SharedSubscription(topicFilter.substring(PREFIX.length(), separator),
                topicFilter.substring(separator + 1));
    }

    /** The filter as the client sent it. */
    public String topicFilter() {
        return PREFIX + shareName + '/' + filter;
    }
}
