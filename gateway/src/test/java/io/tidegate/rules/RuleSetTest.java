package io.tidegate.rules;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tidegate.config.ActionConfig;
import io.tidegate.config.RoutingConfig;
import io.tidegate.config.RuleConfig;
import io.tidegate.outbox.MessageProperties;
import io.tidegate.rules.sql.RuleInput;
import io.tidegate.rules.sql.RuleMessage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuleSetTest {

    private static final Map<String, Integer> IDS = Map.of("file", 0, "kinesis", 1, "errors", 2);
    private static final RoutingConfig DEFAULT = new RoutingConfig("file", RoutingConfig.Unmatched.DEFAULT);
    private static final String HOT_PAYLOAD = "{\"temperature\": 72.5, \"humidity\": 40, \"deviceId\": \"d1\"}";

    private final Recorder sink = new Recorder();

    /** What the sink saw, copied as the contract requires. */
    record Delivery(int destination, String payload, Map<String, String> settings) {
    }

    static final class Recorder implements RouteSink {
        final List<Delivery> deliveries = new ArrayList<>();

        @Override
        public void deliver(int destinationId, byte[] payload, int length, ActionSettings settings) {
            String text = payload == null ? null : new String(payload, 0, length, StandardCharsets.UTF_8);
            deliveries.add(new Delivery(destinationId, text, settings.toMap()));
        }
    }

    private static RuleSet compile(RoutingConfig routing, RuleConfig... rules) {
        return RuleSet.compile(List.of(rules), routing, name -> IDS.getOrDefault(name, -1));
    }

    private static RuleConfig rule(String name, String sql, ActionConfig... actions) {
        return new RuleConfig(name, sql, List.of(actions), null, true);
    }

    private static ActionConfig action(String destination, Map<String, String> settings) {
        return new ActionConfig(destination, settings);
    }

    private static RuleInput message(String topic, String payload) {
        return RuleMessage.of(topic, "device-1", payload);
    }

    @Test
    @DisplayName("without rules every message goes to the default destination unchanged")
    void noRules() {
        RuleSet rules = compile(DEFAULT);

        assertThat(rules.route(message("any/topic", "raw"), sink)).isEqualTo(1);
        assertThat(sink.deliveries).containsExactly(new Delivery(0, null, Map.of()));
        assertThat(rules.size()).isZero();
        assertThat(rules.metrics().unmatchedToDefault()).isEqualTo(1);
    }

    @Test
    @DisplayName("a matching rule delivers its SELECT result with rendered settings; the default destination is not used")
    void matchingRule() {
        RuleSet rules = compile(DEFAULT, rule("hot", "SELECT temperature, deviceId FROM 'dt/+/telemetry' WHERE temperature > 50",
                action("kinesis", Map.of("partitionKey", "${topic(2)}", "stream", "telemetry"))));

        assertThat(rules.route(message("dt/d1/telemetry", HOT_PAYLOAD), sink)).isEqualTo(1);
        assertThat(sink.deliveries).containsExactly(new Delivery(1, "{\"temperature\":72.5,\"deviceId\":\"d1\"}",
                Map.of("partitionKey", "d1", "stream", "telemetry")));
        assertThat(rules.metrics().matchedByRule().get("hot")).isEqualTo(1);
    }

    @Test
    @DisplayName("a rule whose topic filter or WHERE does not match leaves the message unmatched")
    void notMatched() {
        RuleSet rules = compile(DEFAULT, rule("hot", "SELECT * FROM 'dt/+/telemetry' WHERE temperature > 100",
                action("kinesis", Map.of())));

        rules.route(message("dt/d1/telemetry", HOT_PAYLOAD), sink);
        rules.route(message("other/topic", HOT_PAYLOAD), sink);

        assertThat(sink.deliveries).containsExactly(new Delivery(0, null, Map.of()), new Delivery(0, null, Map.of()));
        assertThat(rules.metrics().matchedByRule().get("hot")).isZero();
    }

    @Test
    @DisplayName("every enabled matching rule delivers once per action, in order; disabled rules are skipped")
    void severalRulesAndActions() {
        RuleSet rules = compile(DEFAULT,
                rule("all", "SELECT * FROM 'dt/#'", action("file", Map.of()), action("kinesis", Map.of())),
                new RuleConfig("off", "SELECT * FROM '#'", List.of(action("errors", Map.of())), null, false),
                rule("ids", "SELECT VALUE deviceId FROM '#'", action("kinesis", Map.of())));

        assertThat(rules.route(message("dt/d1/telemetry", HOT_PAYLOAD), sink)).isEqualTo(3);
        assertThat(sink.deliveries).containsExactly(new Delivery(0, null, Map.of()), new Delivery(1, null, Map.of()),
                new Delivery(1, "\"d1\"", Map.of()));
        assertThat(rules.size()).isEqualTo(2);
        assertThat(rules.metrics().matchedByRule()).containsOnlyKeys("all", "ids");
    }

    @Test
    @DisplayName("routing.unmatched: drop drops and counts messages no rule matched")
    void dropUnmatched() {
        RuleSet rules = compile(new RoutingConfig("file", RoutingConfig.Unmatched.DROP),
                rule("hot", "SELECT * FROM 'dt/#' WHERE temperature > 100", action("kinesis", Map.of())));

        assertThat(rules.route(message("dt/d1/telemetry", HOT_PAYLOAD), sink)).isZero();
        assertThat(sink.deliveries).isEmpty();
        assertThat(rules.metrics().unmatchedDropped()).isEqualTo(1);
    }

    @Test
    @DisplayName("an action whose template is Undefined goes to the error action as an AWS-style error document")
    void errorAction() {
        RuleConfig rule = new RuleConfig("keyed", "SELECT * FROM 'dt/#'",
                List.of(action("kinesis", Map.of("partitionKey", "${serial}")), action("file", Map.of())),
                action("errors", Map.of("topic", "errors/${topic(2)}")), true);
        RuleSet rules = compile(DEFAULT, rule);

        assertThat(rules.route(message("dt/d1/telemetry", "{\"a\":1}"), sink)).isEqualTo(2);

        assertThat(sink.deliveries).hasSize(2);
        assertThat(sink.deliveries.get(0)).isEqualTo(new Delivery(0, null, Map.of()));
        Delivery error = sink.deliveries.get(1);
        assertThat(error.destination()).isEqualTo(2);
        assertThat(error.settings()).containsExactly(Map.entry("topic", "errors/d1"));
        assertThat(error.payload()).isEqualTo("{\"ruleName\":\"keyed\",\"topic\":\"dt/d1/telemetry\",\"clientId\":\"device-1\","
                + "\"base64OriginalPayload\":\"" + Base64.getEncoder().encodeToString("{\"a\":1}".getBytes(StandardCharsets.UTF_8))
                + "\",\"failures\":[{\"failedAction\":\"actions[0]\",\"failedResource\":\"kinesis\",\"errorMessage\":"
                + "\"setting partitionKey (${serial}) refers to a value that is Undefined for this message\"}]}");
        assertThat(rules.metrics().actionFailures()).isEqualTo(1);
    }

    @Test
    @DisplayName("without an error action a failed action is only counted; the rule still matched")
    void failedActionWithoutErrorAction() {
        RuleSet rules = compile(DEFAULT, rule("keyed", "SELECT * FROM 'dt/#'", action("kinesis", Map.of("key", "${serial}"))));

        assertThat(rules.route(message("dt/d1/telemetry", "{}"), sink)).isZero();
        assertThat(sink.deliveries).isEmpty();
        assertThat(rules.metrics().actionFailures()).isEqualTo(1);
        assertThat(rules.metrics().unmatchedToDefault()).isZero();
    }

    @Test
    @DisplayName("the payload is parsed once per message however many rules read it; type mismatches are counted")
    void metrics() {
        RuleSet rules = compile(DEFAULT,
                rule("a", "SELECT temperature + 'x' * 2 AS t FROM '#'", action("file", Map.of())),
                rule("b", "SELECT humidity FROM '#' WHERE deviceId = 'd1'", action("kinesis", Map.of())));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        rules.metrics().bindTo(registry);

        rules.route(message("dt/d1/telemetry", HOT_PAYLOAD), sink);
        rules.route(message("dt/d1/telemetry", HOT_PAYLOAD), sink);

        assertThat(sink.deliveries).extracting(Delivery::payload).containsExactly("{}", "{\"humidity\":40}", "{}",
                "{\"humidity\":40}");
        assertThat(registry.get("tidegate.rules.type.mismatches").functionCounter().count()).isEqualTo(2);
        assertThat(registry.get("tidegate.rules.matched").tag("rule", "b").functionCounter().count()).isEqualTo(2);
        assertThat(registry.get("tidegate.rules.unmatched").tag("outcome", "default").functionCounter().count()).isZero();
    }

    @Test
    @DisplayName("MessageInput exposes the ring event's fields and MQTT 5 properties to the rules")
    void messageInput() {
        RuleSet rules = compile(DEFAULT, rule("props", "SELECT get_mqtt_property('content_type') AS ct, "
                        + "get_user_properties('k') AS k, principal() AS p, a FROM 'x/#'",
                action("kinesis", Map.of("cid", "${get_mqtt_property('correlation_data')}"))));
        byte[] buffer = "..{\"a\":true}..".getBytes(StandardCharsets.UTF_8);
        MessageProperties properties = new MessageProperties(true, null, "application/json", null, new byte[] {1, 2, 3},
                List.of(Map.entry("k", "v")));
        MessageInput input = new MessageInput().set("x/y", "c1", "cn=dev", 5L, 1, buffer, 2, 10, properties);

        rules.route(input, sink);

        assertThat(sink.deliveries).containsExactly(new Delivery(1,
                "{\"ct\":\"application/json\",\"k\":[\"v\"],\"p\":\"cn=dev\",\"a\":true}", Map.of("cid", "AQID")));
    }

    @Test
    @DisplayName("compile names the field that cannot be compiled")
    void compileErrors() {
        assertThatThrownBy(() -> compile(DEFAULT, rule("r", "SELECT FROM 'x'", action("file", Map.of()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rules[0].sql: line 1, column 8: expected an expression but found 'FROM'");
        assertThatThrownBy(() -> compile(DEFAULT, rule("r", "SELECT * FROM 'x'", action("s3", Map.of()))))
                .hasMessage("actions[0].destination: unknown destination s3");
        assertThatThrownBy(() -> compile(new RoutingConfig("nowhere", RoutingConfig.Unmatched.DEFAULT)))
                .hasMessage("routing.defaultDestination: unknown destination nowhere");
    }

    @Test
    @DisplayName("settings keep their configured order and are readable by name")
    void settingsAccess() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("b", "2");
        settings.put("a", "${clientid()}");
        RuleSet rules = compile(DEFAULT, rule("r", "SELECT * FROM '#'", action("kinesis", settings)));
        List<ActionSettings> seen = new ArrayList<>();
        rules.route(message("t", "{}"), (id, payload, length, rendered) -> {
            assertThat(rendered.get("a")).isEqualTo("device-1");
            assertThat(rendered.get("missing")).isNull();
            assertThat(rendered.name(0)).isEqualTo("b");
            assertThat(rendered.value(1)).isEqualTo("device-1");
            seen.add(rendered);
        });
        assertThat(seen).hasSize(1);
        assertThat(ActionSettings.NONE.size()).isZero();
    }
}
