package io.tidegate.rules.sql;

import io.tidegate.mqtt.topic.Topics;
import io.tidegate.rules.json.JsonOutput;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A compiled rule statement: {@code SELECT ... FROM '<topic filter>' [WHERE ...]}. Parse once,
 * evaluate per message with a per-thread {@link EvalContext}; immutable and thread-safe.
 *
 * <pre>{@code
 * SqlStatement rule = SqlStatement.parse("SELECT temperature, topic(2) AS device FROM 'dt/+/telemetry' WHERE temperature > 50");
 * if (rule.matchesTopic(topic)) {
 *     ctx.reset(message);
 *     if (rule.evaluate(ctx, out)) {
 *         byte[] result = rule.passesPayloadThrough() ? payload : out.toByteArray();
 *     }
 * }
 * }</pre>
 */
public final class SqlStatement {

    private final String sql;
    private final String topicFilter;
    private final Expr value;
    private final SelectItem[] items;
    private final Expr where;
    private final boolean passthrough;

    SqlStatement(String sql, String topicFilter, boolean valueForm, List<SelectItem> items, Expr where) {
        this.sql = sql;
        this.topicFilter = topicFilter;
        this.value = valueForm ? ((SelectItem.Named) items.get(0)).expr() : null;
        this.where = where;
        this.passthrough = !valueForm && items.size() == 1 && items.get(0) instanceof SelectItem.Star;
        SelectItem.resolveReplacements(items);
        this.items = items.toArray(SelectItem[]::new);
    }

    /** @throws ParseException naming the line, column and what was expected */
    public static SqlStatement parse(String sql) throws ParseException {
        return Parser.statement(Objects.requireNonNull(sql, "sql"));
    }

    public String sql() {
        return sql;
    }

    /** The FROM clause's MQTT topic filter. */
    public String topicFilter() {
        return topicFilter;
    }

    /** Whether the FROM filter matches the topic; cheap, for skipping rules before anything is parsed. */
    public boolean matchesTopic(String topic) {
        return Topics.matches(topicFilter, topic);
    }

    /**
     * Whether the result is the message's payload as it is ({@code SELECT *} alone): its bytes,
     * JSON or not, are passed through without being parsed or copied.
     */
    public boolean passesPayloadThrough() {
        return passthrough;
    }

    /**
     * Evaluates the statement on {@code ctx}'s current message (the caller has checked the topic).
     *
     * @param out receives the result unless {@link #passesPayloadThrough()}; reset here
     * @return whether the WHERE clause (if any) is true, i.e. whether the rule matched
     */
    public boolean evaluate(EvalContext ctx, JsonOutput out) {
        if (where != null && !Values.isTrue(where.eval(ctx))) {
            return false;
        }
        if (passthrough) {
            return true;
        }
        out.reset();
        if (value != null) {
            Object result = value.eval(ctx);
            if (result != Undefined.INSTANCE) {
                ValueWriter.write(out, result); // Undefined by itself serializes as nothing
            }
            return true;
        }
        out.write('{');
        boolean first = true;
        for (SelectItem item : items) {
            first = item.write(ctx, out, first);
        }
        out.write('}');
        return true;
    }

    /**
     * Evaluates one message from scratch, for tools and tests (allocates a context).
     *
     * @return the result bytes, or empty when the topic does not match or WHERE is not true
     */
    public Optional<byte[]> evaluate(RuleInput message) {
        if (!matchesTopic(message.topic())) {
            return Optional.empty();
        }
        EvalContext ctx = new EvalContext();
        ctx.reset(message);
        JsonOutput out = new JsonOutput();
        if (!evaluate(ctx, out)) {
            return Optional.empty();
        }
        if (passthrough) {
            byte[] copy = new byte[message.payloadLength()];
            System.arraycopy(message.payload(), message.payloadOffset(), copy, 0, copy.length);
            return Optional.of(copy);
        }
        return Optional.of(out.toByteArray());
    }

    @Override
    public String toString() {
        return sql;
    }
}
