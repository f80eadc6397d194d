package io.tidegate.cli;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class RulesCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = TidegateCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    private String stdout() {
        return out.toString().strip();
    }

    @Test
    @DisplayName("eval prints the result of a matching rule as one JSON document")
    void evalMatched() {
        int exit = run("rules", "eval", "--sql",
                "SELECT temperature, topic(2) AS device FROM 'dt/+/telemetry' WHERE temperature > 50",
                "--topic", "dt/d1/telemetry", "--payload", "{\"temperature\": 72.5, \"humidity\": 40}");

        assertThat(exit).isZero();
        assertThat(stdout()).isEqualTo("{\"matched\":true,\"output\":{\"temperature\":72.5,\"device\":\"d1\"}}");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    @DisplayName("eval prints {\"matched\":false} when the topic or WHERE does not match")
    void evalNotMatched() {
        assertThat(run("rules", "eval", "--sql", "SELECT * FROM 'dt/#' WHERE temperature > 50", "--topic", "dt/d1",
                "--payload", "{\"temperature\": 20}")).isZero();
        assertThat(run("rules", "eval", "--sql", "SELECT * FROM 'dt/#'", "--topic", "cmd/d1")).isZero();

        assertThat(out.toString().lines()).containsExactly("{\"matched\":false}", "{\"matched\":false}");
    }

    @Test
    @DisplayName("eval passes a non-JSON payload through: text as a JSON string, binary as base64")
    void evalNonJson() throws IOException {
        byte[] binary = {(byte) 0xFF, 0, 1};
        Path file = Files.write(dir.resolve("payload.bin"), binary);

        assertThat(run("rules", "eval", "--sql", "SELECT * FROM '#'", "--topic", "a", "--payload", "hello \"you\"")).isZero();
        assertThat(run("rules", "eval", "--sql", "SELECT * FROM '#'", "--topic", "a", "--payload-file", file.toString())).isZero();

        assertThat(out.toString().lines()).containsExactly("{\"matched\":true,\"output\":\"hello \\\"you\\\"\"}",
                "{\"matched\":true,\"outputBase64\":\"" + Base64.getEncoder().encodeToString(binary) + "\"}");
    }

    @Test
    @DisplayName("eval takes the client id, principal and MQTT 5 properties")
    void evalMessageOptions() throws IOException {
        Path payload = Files.writeString(dir.resolve("p.json"), "{\"n\": 1}");

        int exit = run("rules", "eval", "--sql", "SELECT clientid() AS c, principal() AS p, n,"
                        + " get_mqtt_property('content_type') AS ct, get_mqtt_property('format_indicator') AS f,"
                        + " get_mqtt_property('correlation_data') AS cd, get_user_properties('k') AS k FROM 'a/b'",
                "--topic", "a/b", "--client-id", "dev-1", "--principal", "dev-1.example", "--payload-file", payload.toString(),
                "--property", "content_type=application/json", "--property", "format_indicator=UTF8_DATA",
                "--property", "correlation_data=abc", "--property", "k=v1", "--property", "k=v2=x");

        assertThat(exit).isZero();
        assertThat(stdout()).isEqualTo("{\"matched\":true,\"output\":{\"c\":\"dev-1\",\"p\":\"dev-1.example\",\"n\":1,"
                + "\"ct\":\"application/json\",\"f\":\"UTF8_DATA\",\"cd\":\"YWJj\",\"k\":[\"v1\",\"v2=x\"]}}");
    }

    @Test
    @DisplayName("eval reports a parse error on stderr with its position, exit 2")
    void evalParseError() {
        int exit = run("rules", "eval", "--sql", "SELECT FROM 'a'", "--topic", "a");

        assertThat(exit).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).contains("invalid SQL: line 1, column 8: expected an expression but found 'FROM'")
                .contains("  SELECT FROM 'a'" + System.lineSeparator() + "         ^");
    }

    @Test
    @DisplayName("eval refuses bad input with exit 2")
    void evalBadInput() {
        assertThat(run("rules", "eval", "--sql", "SELECT * FROM '#'", "--topic", "a/+")).isEqualTo(2);
        assertThat(run("rules", "eval", "--sql", "SELECT * FROM '#'", "--topic", "a", "--property", "noequals")).isEqualTo(2);
        assertThat(run("rules", "eval", "--sql", "SELECT * FROM '#'", "--topic", "a", "--payload", "x", "--payload-file", "f"))
                .isEqualTo(2);
        assertThat(run("rules", "eval", "--topic", "a")).isEqualTo(2);
        assertThat(run("rules", "eval", "--sql", "SELECT * FROM '#'", "--topic", "a", "--payload-file",
                dir.resolve("absent").toString())).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).contains("invalid --topic a/+").contains("invalid --property noequals")
                .contains("cannot read --payload-file");
    }

    @Test
    @DisplayName("check lists the rules of a valid configuration, exit 0")
    void checkValid() throws IOException {
        Path config = Files.writeString(dir.resolve("tidegate.yaml"), """
                rules:
                  - name: hot
                    sql: "SELECT * FROM 'dt/#' WHERE temperature > 50"
                    actions: [{destination: file, settings: {key: "${topic(2)}"}}]
                  - name: cold
                    enabled: false
                    sql: "SELECT * FROM 'dt/#'"
                    actions: [{destination: file}]
                """);

        assertThat(run("rules", "check", "--config", config.toString())).isZero();
        assertThat(out.toString().lines()).containsExactly("2 rules OK:", "  hot -> file", "  cold (disabled) -> file");
    }

    @Test
    @DisplayName("check without rules says where messages go")
    void checkDefaults() {
        assertThat(run("rules", "check")).isZero();
        assertThat(stdout()).isEqualTo("No rules: every message goes to file unchanged.");
    }

    @Test
    @DisplayName("check lists every problem with its position, exit 2")
    void checkInvalid() throws IOException {
        Path config = Files.writeString(dir.resolve("tidegate.yaml"), """
                rules:
                  - name: hot
                    sql: "SELECT * FROM 'dt/#' WHERE temperature >"
                    actions: [{destination: kinesis, settings: {key: "${topic(2}"}}]
                """);

        assertThat(run("rules", "check", "--config", config.toString())).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly("tidegate rules check: 3 problems:",
                "  rules[0].sql: line 1, column 41: expected an expression but found end of input",
                "  rules[0].actions[0].destination: \"kinesis\" is not allowed; expected the name of a configured destination (file)",
                "  rules[0].actions[0].settings.key: \"${topic(2}\" is not a valid template: line 1, column 10: expected ',' or ')'"
                        + " but found '}'");
    }
}
