package io.tidegate.loadgen.payload;

import io.tidegate.loadgen.scenario.ScenarioException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicTemplateTest {

    @Test
    void substitutesTheDeviceId() {
        assertThat(TopicTemplate.parse("topic", "dt/{device}/telemetry").topicFor("truck-9")).isEqualTo("dt/truck-9/telemetry");
    }

    @Test
    void theFilterReplacesEveryLevelHoldingTheDevice() {
        assertThat(TopicTemplate.parse("topic", "dt/{device}/telemetry").asFilter()).isEqualTo("dt/+/telemetry");
        assertThat(TopicTemplate.parse("topic", "fleet/dev-{device}/x/{device}").asFilter()).isEqualTo("fleet/+/x/+");
        assertThat(TopicTemplate.parse("topic", "static/topic").asFilter()).isEqualTo("static/topic");
    }

    @Test
    void wildcardsAndUnknownPlaceholdersAreRefused() {
        assertThatThrownBy(() -> TopicTemplate.parse("topic", "dt/+/x")).isInstanceOf(ScenarioException.class)
                .hasMessageContaining("topic");
        assertThatThrownBy(() -> TopicTemplate.parse("topic", "dt/{id}/x")).isInstanceOf(ScenarioException.class)
                .hasMessageContaining("{device}");
    }
}
