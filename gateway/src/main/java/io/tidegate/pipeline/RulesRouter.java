package io.tidegate.pipeline;

import io.tidegate.rules.ActionSettings;
import io.tidegate.rules.MessageInput;
import io.tidegate.rules.RouteSink;
import io.tidegate.rules.RuleSet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Routes by the configured rules: each delivery the rule set makes becomes one outbox entry, with
 * the rule's SELECT result as payload (or the message's own payload for {@code SELECT *} and the
 * default destination). Reuses one input and acts as its own sink, so routing allocates nothing
 * beyond what the rules themselves need.
 */
public final class RulesRouter implements Router, RouteSink {

    private final RuleSet rules;
    private final MessageInput input = new MessageInput();
    private IngestEvent current;

    public RulesRouter(RuleSet rules) {
        this.rules = rules;
    }

    @Override
    public void route(IngestEvent event) {
        current = event;
        try {
            input.set(event.topic, event.clientId, event.principal, event.ingestTimeMillis, event.qos, event.payload,
                    0, event.payloadLength, event.properties);
            rules.route(input, this);
        } finally {
            current = null;
        }
    }

    @Override
    public void deliver(int destinationId, byte[] payload, int length, ActionSettings settings) {
        List<Map.Entry<String, String>> rendered = copyOf(settings);
        if (payload == null) {
            current.deliverUnchanged(destinationId, rendered);
        } else {
            current.deliver(destinationId, payload, length, rendered);
        }
    }

    /** The settings object is reused for the next delivery; its strings are immutable. */
    private static List<Map.Entry<String, String>> copyOf(ActionSettings settings) {
        int size = settings.size();
        if (size == 0) {
            return List.of();
        }
        List<Map.Entry<String, String>> copy = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            copy.add(Map.entry(settings.name(i), settings.value(i)));
        }
        return Collections.unmodifiableList(copy);
    }

    @Override
    public int maxDeliveries() {
        return rules.maxDeliveries();
    }
}
