package io.tidegate.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** IoT Core's topic rules (AWS IoT Core quotas: topic size 256 bytes, 7 forward slashes). */
class IotCoreTopicRulesTest {

    @Test
    void ordinaryAndReservedAwsTopicsPass() {
        assertThat(IotCoreTopicRules.problem("dt/device-1/telemetry")).isEmpty();
        assertThat(IotCoreTopicRules.problem("a/b/c/d/e/f/g/h")).as("7 slashes").isEmpty();
        assertThat(IotCoreTopicRules.problem("$aws/things/dev/shadow/update")).isEmpty();
        assertThat(IotCoreTopicRules.problem("x".repeat(256))).isEmpty();
    }

    @Test
    void breachesAreNamed() {
        assertThat(IotCoreTopicRules.problem("a/b/c/d/e/f/g/h/i")).hasValue("topic has 8 slashes; IoT Core allows 7");
        assertThat(IotCoreTopicRules.problem("é".repeat(129))).hasValue("topic of 258 bytes exceeds IoT Core's 256");
        assertThat(IotCoreTopicRules.problem("dt/+/x")).hasValue("topic contains '+', which a PUBLISH topic may not");
        assertThat(IotCoreTopicRules.problem("dt/#")).hasValue("topic contains '#', which a PUBLISH topic may not");
        assertThat(IotCoreTopicRules.problem("$SYS/x")).get().asString().contains("reserved");
        assertThat(IotCoreTopicRules.problem("")).hasValue("the topic is empty");
    }

    @Test
    void basicIngestPrefixesTheRuleAndIsNotCountedAgainstTheSlashes() {
        assertThat(IotCoreTopicRules.basicIngest("telemetry_rule", "a/b/c/d/e/f/g/h"))
                .isEqualTo("$aws/rules/telemetry_rule/a/b/c/d/e/f/g/h");
        assertThat(IotCoreTopicRules.isRuleName("telemetry_rule")).isTrue();
        assertThat(IotCoreTopicRules.isRuleName("telemetry-rule")).isFalse();
    }
}
