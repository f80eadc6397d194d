package io.tidegate.forward.aws;

import io.tidegate.config.KeySource;
import io.tidegate.outbox.OutboxEntry;

import java.util.function.Function;

/**
 * The partition key of a message: the {@code partitionKey} setting of the rule action that routed
 * it, when it has one (a {@code ${...}} template rendered at routing time), else the configured
 * source: its client id, its topic, or a fixed text.
 */
public final class MessageKey {

    private final Function<OutboxEntry, String> source;

    private MessageKey(Function<OutboxEntry, String> source) {
        this.source = source;
    }

    /** {@code clientid}, {@code topic}, or anything else as a literal key. */
    public static MessageKey of(String setting) {
        return switch (setting) {
            case KeySource.CLIENT_ID -> new MessageKey(OutboxEntry::clientId);
            case KeySource.TOPIC -> new MessageKey(OutboxEntry::topic);
            default -> new MessageKey(entry -> setting);
        };
    }

    /** The name of the rule action setting that overrides the configured source. */
    public static final String ACTION_SETTING = "partitionKey";

    public String of(OutboxEntry entry) {
        String fromRule = entry.actionSetting(ACTION_SETTING);
        return fromRule == null || fromRule.isEmpty() ? source.apply(entry) : fromRule;
    }
}
