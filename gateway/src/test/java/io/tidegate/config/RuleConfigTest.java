package io.tidegate.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.tidegate.config.ConfigTestSupport.envFailure;
import static io.tidegate.config.ConfigTestSupport.loadYaml;
import static io.tidegate.config.ConfigTestSupport.yamlFailure;
import static org.assertj.core.api.Assertions.assertThat;

class RuleConfigTest {

    @TempDir
    Path dir;

    private List<String> problems(String yaml) {
        return yamlFailure(dir, yaml).problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    @DisplayName("the defaults have no rules and send unmatched messages to the default destination")
    void defaults() {
        TidegateConfig config = ConfigLoader.loadDefaults();

        assertThat(config.rules()).isEmpty();
        assertThat(config.routing()).isEqualTo(new RoutingConfig("file", RoutingConfig.Unmatched.DEFAULT));
    }

    @Test
    @DisplayName("rules, actions with template settings, error actions and routing.unmatched load from YAML")
    void rulesLoad() {
        TidegateConfig config = loadYaml(dir, """
                destinations:
                  kinesis: {type: file}
                routing: {unmatched: drop}
                rules:
                  - name: hot
                    sql: "SELECT temperature FROM 'dt/+/telemetry' WHERE temperature > 50"
                    actions:
                      - destination: kinesis
                        settings:
                          stream: telemetry
                          partitionKey: "${topic(2)}"
                    errorAction: {destination: file}
                  - name: archive
                    sql: "SELECT * FROM 'dt/#'"
                    enabled: false
                    actions: [{destination: file}]
                """);

        assertThat(config.routing().unmatched()).isEqualTo(RoutingConfig.Unmatched.DROP);
        assertThat(config.rules()).hasSize(2);
        RuleConfig hot = config.rules().get(0);
        assertThat(hot.name()).isEqualTo("hot");
        assertThat(hot.isEnabled()).isTrue();
        assertThat(hot.actions()).containsExactly(new ActionConfig("kinesis",
                Map.of("stream", "telemetry", "partitionKey", "${topic(2)}")));
        assertThat(hot.actions().get(0).settings().keySet()).as("configured order").containsExactly("stream", "partitionKey");
        assertThat(hot.errorAction()).isEqualTo(new ActionConfig("file", Map.of()));
        assertThat(config.rules().get(1).isEnabled()).isFalse();
    }

    @Test
    @DisplayName("names must be present, non-blank and unique")
    void names() {
        assertThat(problems("""
                rules:
                  - {name: a, sql: "SELECT * FROM '#'", actions: [{destination: file}]}
                  - {name: " ", sql: "SELECT * FROM '#'", actions: [{destination: file}]}
                  - {sql: "SELECT * FROM '#'", actions: [{destination: file}]}
                  - {name: a, sql: "SELECT * FROM '#'", actions: [{destination: file}]}
                """)).containsExactly(
                "rules[1].name: \" \" is not allowed; expected a unique, non-blank rule name",
                "rules[2].name: missing; expected a unique, non-blank rule name",
                "rules[3].name: \"a\" is not allowed; expected a unique rule name, but rules[0] has it too");
    }

    @Test
    @DisplayName("SQL must parse: the problem keeps the parser's line and column")
    void sqlErrors() {
        assertThat(problems("""
                rules:
                  - name: broken
                    sql: "SELECT temperature FROM 'dt/#' WHERE temperature >"
                    actions: [{destination: file}]
                  - name: multi
                    sql: |
                      SELECT a,
                             b c
                      FROM 'x'
                    actions: [{destination: file}]
                  - name: none
                    actions: [{destination: file}]
                """)).containsExactly(
                "rules[0].sql: line 1, column 51: expected an expression but found end of input",
                "rules[1].sql: line 2, column 10: expected ',', AS or FROM but found 'c'",
                "rules[2].sql: missing; expected an AWS IoT SQL statement such as SELECT * FROM 'dt/#'");
    }

    @Test
    @DisplayName("actions must exist and name configured destinations; templates must parse")
    void actions() {
        assertThat(problems("""
                rules:
                  - name: r
                    sql: "SELECT * FROM '#'"
                    actions:
                      - destination: s3
                      - destination: file
                        settings: {partitionKey: "${topic(2}", "a.b": "${}"}
                    errorAction: {settings: {x: y}}
                  - name: empty
                    sql: "SELECT * FROM '#'"
                """)).containsExactly(
                "rules[0].actions[0].destination: \"s3\" is not allowed; expected the name of a configured destination (file)",
                "rules[0].actions[1].settings.partitionKey: \"${topic(2}\" is not a valid template: line 1, column 10:"
                        + " expected ',' or ')' but found '}'",
                "rules[0].actions[1].settings[\"a.b\"]: \"${}\" is not a valid template: line 1, column 3:"
                        + " expected an expression but found '}'",
                "rules[0].errorAction.destination: missing; expected the name of a configured destination (file)",
                "rules[1].actions: missing; expected at least one action with a destination");
    }

    @Test
    @DisplayName("routing.unmatched accepts default or drop, also from the environment")
    void unmatched() {
        assertThat(problems("routing: {unmatched: sometimes}\n")).containsExactly(
                "routing.unmatched: \"sometimes\" is not allowed; expected one of default, drop");
        assertThat(ConfigLoader.load(java.util.Optional.empty(), Map.of("TIDEGATE_ROUTING_UNMATCHED", "drop"))
                .routing().unmatched()).isEqualTo(RoutingConfig.Unmatched.DROP);
        assertThat(envFailure(Map.of("TIDEGATE_ROUTING_UNMATCHED", "never")).problems()).extracting(ConfigProblem::subject)
                .containsExactly("routing.unmatched");
    }

    @Test
    @DisplayName("validation also covers rules built in code")
    void programmatic() {
        TidegateConfig defaults = ConfigLoader.loadDefaults();
        TidegateConfig config = new TidegateConfig(defaults.dataDir(), defaults.listeners(), defaults.mqtt(),
                defaults.authorization(), defaults.pipeline(), defaults.outbox(), defaults.routing(), defaults.destinations(),
                defaults.admin(), List.of(new RuleConfig("r", "SELECT * FROM 'a/#/b'", List.of(new ActionConfig("file", null)),
                null, null)));

        assertThat(ConfigValidator.problems(config)).extracting(ConfigProblem::toString).containsExactly(
                "rules[0].sql: line 1, column 15: expected a valid MQTT topic filter (# must be alone in the last level of a"
                        + " filter [MQTT-4.7.1-2]) but found ''a/#/b''");
    }
}
