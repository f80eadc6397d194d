package io.tidegate.forward.aws;

import io.tidegate.outbox.MessageProperties;
import io.tidegate.outbox.OutboxEntry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class MessageKeyTest {

    private static OutboxEntry entry(List<Map.Entry<String, String>> settings) {
        return new OutboxEntry(1, UUID.randomUUID(), 1, "oven-1", "dt/oven-1/telemetry", 1, false,
                MessageProperties.NONE, new byte[0], 10, settings);
    }

    @Test
    void theConfiguredSourceWhenTheRuleActionSetsNoKey() {
        assertThat(MessageKey.of("clientid").of(entry(List.of()))).isEqualTo("oven-1");
        assertThat(MessageKey.of("topic").of(entry(List.of()))).isEqualTo("dt/oven-1/telemetry");
        assertThat(MessageKey.of("fleet-a").of(entry(List.of()))).isEqualTo("fleet-a");
    }

    @Test
    void theRuleActionsRenderedPartitionKeyWins() {
        OutboxEntry routed = entry(List.of(Map.entry("partitionKey", "site-7")));

        assertThat(MessageKey.of("clientid").of(routed)).isEqualTo("site-7");
    }
}
