package io.tidegate.rules.sql;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Whole statements: SELECT, FROM and WHERE as the AWS IoT SQL reference describes them. */
class SelectTest {

    private static final String COLOR = "{\"color\":\"red\", \"temperature\":50}";

    private static String run(String payload, String sql) {
        return new Sql().payload(payload).run(sql);
    }

    @Test
    @DisplayName("[SELECT clause] SELECT * passes the payload through byte for byte")
    void selectStarPassesThrough() {
        assertThat(run(COLOR, "SELECT * FROM 'dt/#'")).isEqualTo(COLOR);
    }

    @Test
    @DisplayName("[SELECT clause] fields, AS, several items, *, nested fields and expressions")
    void selectClauseExamples() {
        assertThat(run(COLOR, "SELECT color FROM '#'")).isEqualTo("{\"color\":\"red\"}");
        assertThat(run(COLOR, "SELECT color AS my_color FROM '#'")).isEqualTo("{\"my_color\":\"red\"}");
        assertThat(run(COLOR, "SELECT color as my_color, temperature as fahrenheit FROM '#'"))
                .isEqualTo("{\"my_color\":\"red\",\"fahrenheit\":50}");
        assertThat(run(COLOR, "SELECT *, 15 as speed FROM '#'")).isEqualTo("{\"color\":\"red\",\"temperature\":50,\"speed\":15}");
        assertThat(run(COLOR, "SELECT VALUE color FROM '#'")).isEqualTo("\"red\"");
        assertThat(run("{\"color\":{\"red\":255,\"green\":0,\"blue\":0}, \"temperature\":50}",
                "SELECT color.red as red_value FROM '#'")).isEqualTo("{\"red_value\":255}");
        assertThat(run(COLOR, "SELECT (temperature - 32) * 5 / 9 AS celsius, upper(color) as my_color FROM '#'"))
                .isEqualTo("{\"celsius\":10,\"my_color\":\"RED\"}");
    }

    @Test
    @DisplayName("[WHERE clause] a WHERE that is not true drops the message")
    void whereClauseExample() {
        String payload = "{\"color\":\"red\", \"temperature\":40}";
        assertThat(run(payload, "SELECT color AS my_color FROM '#' WHERE temperature > 50 AND color <> 'red'")).isNull();
        assertThat(run(payload, "SELECT color AS my_color FROM '#' WHERE temperature > 30")).isEqualTo("{\"my_color\":\"red\"}");
        assertThat(run(payload, "SELECT color FROM '#' WHERE missing > 30")).as("Undefined is not true").isNull();
        assertThat(run(payload, "SELECT color FROM '#' WHERE 'true'")).as("only the Boolean true passes").isNull();
    }

    @Test
    @DisplayName("[FROM clause] the topic filter decides which messages the rule sees")
    void fromClause() {
        Sql sql = new Sql();
        assertThat(sql.on(Sql.message("a/b", COLOR)).run("SELECT temperature AS t FROM 'a/#'")).isEqualTo("{\"t\":50}");
        assertThat(sql.on(Sql.message("a/e/f", COLOR)).run("SELECT temperature AS t FROM 'a/+'")).isNull();
        assertThat(sql.on(Sql.message("b/x", COLOR)).run("SELECT temperature AS t FROM 'a/#'")).isNull();
        assertThat(sql.on(Sql.message("$SYS/x", COLOR)).run("SELECT * FROM '#'")).as("MQTT-4.7.2-1").isNull();
    }

    @Test
    @DisplayName("[Data types: Undefined] Undefined items are left out of the result; Null is kept")
    void undefinedItemsAreLeftOut() {
        assertThat(run(COLOR, "SELECT color, missing, nope.x AS y, NULL AS n, temperature + 'x' * 2 AS bad FROM '#'"))
                .isEqualTo("{\"color\":\"red\",\"n\":null}");
        assertThat(run(COLOR, "SELECT missing FROM '#'")).as("matched, empty object").isEqualTo("{}");
        assertThat(run(COLOR, "SELECT VALUE missing FROM '#'")).as("Undefined by itself is empty").isEmpty();
    }

    @Test
    @DisplayName("[JSON extensions] paths with . and [index]; unnamed items take the last field name or their position")
    void pathsAndNames() {
        String payload = "{\"a\":{\"b\":[10,{\"c\":\"deep\"}]},\"arr\":[1,2]}";
        assertThat(run(payload, "SELECT a.b[0] AS first, a.b[1].c, arr[9] AS none, arr[-1] AS negative FROM '#'"))
                .isEqualTo("{\"first\":10,\"c\":\"deep\"}");
        assertThat(run(payload, "SELECT a.b, arr[1], topic(2), 1 + 1 FROM '#'"))
                .isEqualTo("{\"b\":[10,{\"c\":\"deep\"}],\"arr\":2,\"_3\":\"device-1\",\"_4\":2}");
        assertThat(run(payload, "SELECT arr[1 + 0] AS i FROM '#'")).isEqualTo("{\"i\":2}");
    }

    @Test
    @DisplayName("[Literals] object and array literals")
    void literals() {
        assertThat(run("{\"lat_long\": [47.606,-122.332]}",
                "SELECT {'latitude': get(lat_long, 0),'longitude':get(lat_long, 1)} as lat_long FROM '#'"))
                .isEqualTo("{\"lat_long\":{\"latitude\":47.606,\"longitude\":-122.332}}");
        assertThat(run("{\"lat\": 47.696, \"long\": -122.332}", "SELECT [lat,long] as lat_long FROM '#'"))
                .isEqualTo("{\"lat_long\":[47.696,-122.332]}");
        assertThat(run("{}", "SELECT {'a': missing, 'b': 1} AS o, [missing, 2] AS l FROM '#'"))
                .as("Undefined members and elements are omitted").isEqualTo("{\"o\":{\"b\":1},\"l\":[2]}");
    }

    @Test
    @DisplayName("[Data types: Decimal] 2016-03-23 reads whole numbers such as 10.0 as Int; other numbers keep their text")
    void numbersAreNormalized() {
        assertThat(run("{\"a\": 10.0, \"b\": 1e3, \"c\": 2.50, \"d\": -0, \"e\": 1.5e-3, \"f\": -12, \"g\": [1.0, {\"h\": 2E0}]}",
                "SELECT a, b, c, d, e, f, g FROM '#'"))
                .isEqualTo("{\"a\":10,\"b\":1000,\"c\":2.50,\"d\":0,\"e\":0.0015,\"f\":-12,\"g\":[1,{\"h\":2}]}");
    }

    @Test
    @DisplayName("payload values are copied compactly, strings with their escapes")
    void valuesAreCopied() {
        assertThat(run("{ \"o\" : { \"x\" : [ 1 , \"a\\\"b\" ] } }", "SELECT o FROM '#'"))
                .isEqualTo("{\"o\":{\"x\":[1,\"a\\\"b\"]}}");
        assertThat(run("{\"a\":1,\"a\":2}", "SELECT a FROM '#'")).as("the last duplicate wins").isEqualTo("{\"a\":2}");
    }

    @Test
    @DisplayName("a later item replaces an earlier one of the same name, as in a JSON object")
    void laterItemsReplaceEarlierOnes() {
        assertThat(run(COLOR, "SELECT color AS x, temperature AS x FROM '#'")).isEqualTo("{\"x\":50}");
        assertThat(run(COLOR, "SELECT *, 'blue' AS color FROM '#'")).isEqualTo("{\"temperature\":50,\"color\":\"blue\"}");
        assertThat(run(COLOR, "SELECT 'blue' AS color, * FROM '#'")).isEqualTo("{\"color\":\"red\",\"temperature\":50}");
        assertThat(run(COLOR, "SELECT 1 AS speed, * FROM '#'")).isEqualTo("{\"speed\":1,\"color\":\"red\",\"temperature\":50}");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"not json", "{\"a\":1,}", "{\"a\":1} x", "{'a':1}", "", "{\"a\":01}", "[1,]"})
    @DisplayName("[Binary payloads] a non-JSON payload: * passes through, fields are Undefined")
    void nonJsonPayloads(String payload) {
        assertThat(run(payload, "SELECT * FROM '#'")).isEqualTo(payload);
        assertThat(run(payload, "SELECT a FROM '#'")).isEqualTo("{}");
        assertThat(run(payload, "SELECT * FROM '#' WHERE a = 1")).isNull();
        assertThat(run(payload, "SELECT * FROM '#' WHERE timestamp() % 4 = 0")).isEqualTo(payload);
    }

    @Test
    @DisplayName("[Binary payloads] binary bytes pass through SELECT * unchanged")
    void binaryPassThrough() {
        byte[] binary = {(byte) 0xC3, 0x28, 0, 1};
        RuleMessage message = new RuleMessage("a/b", "c", null, 1L, 0, binary, false, null, null, null, List.of());
        SqlStatement statement = parse("SELECT * FROM 'a/b'");

        assertThat(statement.passesPayloadThrough()).isTrue();
        assertThat(statement.evaluate(message)).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(binary));
    }

    @Test
    @DisplayName("SELECT * with other items needs a JSON object payload; otherwise * adds nothing and counts a mismatch")
    void starWithOtherItemsOnANonObject() {
        Sql sql = new Sql().payload("[1,2]");
        assertThat(sql.run("SELECT *, 1 AS x FROM '#'")).isEqualTo("{\"x\":1}");
        assertThat(sql.mismatches()).isEqualTo(1);
    }

    @Test
    @DisplayName("the payload is parsed once per message, only when a field is read")
    void payloadIsParsedLazily() {
        EvalContext ctx = new EvalContext();
        ctx.reset(RuleMessage.of("a", "c", "{\"a\":1}"));
        parse("SELECT * FROM '#'").evaluate(ctx, new io.tidegate.rules.json.JsonOutput());
        parse("SELECT topic() AS t FROM '#' WHERE clientid() = 'c'").evaluate(ctx, new io.tidegate.rules.json.JsonOutput());

        assertThat(ctx.document().isValid()).as("not parsed yet").isFalse();
        assertThat(ctx.payloadRoot()).isZero();
        assertThat(ctx.document().isValid()).isTrue();
    }

    @Test
    @DisplayName("the message's own payload region is read, not the whole array")
    void payloadRegion() {
        byte[] buffer = "xx{\"a\":7}yy".getBytes(StandardCharsets.UTF_8);
        RuleInput region = new RuleInput() {
            public String topic() { return "t"; }
            public String clientId() { return null; }
            public String principal() { return null; }
            public long timestampMillis() { return 0; }
            public int qos() { return 0; }
            public byte[] payload() { return buffer; }
            public int payloadOffset() { return 2; }
            public int payloadLength() { return 7; }
        };
        assertThat(new Sql().on(region).run("SELECT a FROM 't'")).isEqualTo("{\"a\":7}");
        assertThat(parse("SELECT encode(*, 'base64') AS b FROM 't'").evaluate(region))
                .hasValueSatisfying(b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("{\"b\":\"eyJhIjo3fQ==\"}"));
    }

    private static SqlStatement parse(String sql) {
        try {
            return SqlStatement.parse(sql);
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }
}
