package io.tidegate.rules.sql;

import io.tidegate.rules.json.JsonOutput;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Evaluates SQL and expressions against test messages, with the mismatch counter at hand. */
final class Sql {

    /** The payload the expression tables read fields from. */
    static final String PAYLOAD = """
            {"int": 5, "neg": -7, "dec": 2.5, "whole": 10.0, "big": 12345678901234567890123, "str": "hello",
             "numstr": "-5.123", "t": true, "f": false, "nul": null, "arr": [1, "two", [3]], "obj": {"a": 1, "b": {"c": "d"}},
             "strtrue": "TRUE", "empty": "", "esc": "a\\"b\\u00e9", "emoji": "h😀i"}
            """;

    final EvalContext ctx = new EvalContext();
    private final JsonOutput out = new JsonOutput();
    private RuleInput message = message("dt/device-1/telemetry", PAYLOAD);

    static RuleMessage message(String topic, String payload) {
        return new RuleMessage(topic, "device-1", "cn-device-1", 1_700_000_000_000L, 1,
                payload.getBytes(StandardCharsets.UTF_8), true, "application/json", "reply/device-1",
                new byte[] {1, 2, 3}, List.of(Map.entry("k", "v1"), Map.entry("o", "ov"), Map.entry("k", "v2")));
    }

    Sql on(RuleInput input) {
        this.message = input;
        return this;
    }

    Sql payload(String payload) {
        return on(message(message.topic(), payload));
    }

    /**
     * The statement's result: the output text, the payload text when passed through, or
     * {@code null} when the topic does not match or WHERE is not true.
     */
    String run(String sql) {
        SqlStatement statement;
        try {
            statement = SqlStatement.parse(sql);
        } catch (ParseException e) {
            throw new AssertionError("does not parse: " + sql + ": " + e.getMessage(), e);
        }
        if (!statement.matchesTopic(message.topic())) {
            return null;
        }
        ctx.reset(message);
        if (!statement.evaluate(ctx, out)) {
            return null;
        }
        if (statement.passesPayloadThrough()) {
            return new String(message.payload(), message.payloadOffset(), message.payloadLength(), StandardCharsets.UTF_8);
        }
        return out.toString();
    }

    /** An expression's value as JSON text, or {@code Undefined}. */
    String value(String expression) {
        String result = run("SELECT VALUE (" + expression + ") FROM '#'");
        return result.isEmpty() ? "Undefined" : result;
    }

    long mismatches() {
        return ctx.stats().typeMismatches().sum();
    }
}
