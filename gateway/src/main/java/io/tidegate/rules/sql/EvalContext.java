package io.tidegate.rules.sql;

import io.tidegate.rules.json.JsonDocument;
import io.tidegate.rules.json.JsonOutput;

import java.util.Arrays;
import java.util.Objects;

/**
 * The state of evaluating one message at a time: the message, its payload parsed at most once and
 * only when a rule first reads a field, its topic levels, and scratch buffers. One context per
 * thread, reused for every message ({@link #reset}); not thread-safe.
 */
public final class EvalContext {

    private static final int NOT_PARSED = -2;
    private static final int NOT_JSON = -1;
    private static final int RETAINED_REFS = 4096;

    private final EvaluationStats stats;
    private final JsonDocument document = new JsonDocument();
    private final JsonOutput scratch = new JsonOutput();
    private JsonRef[] refs = new JsonRef[64];
    private RuleInput input;
    private int root = NOT_PARSED;
    /** Start offsets of the topic's levels, computed on the first {@code topic(n)}. */
    private int[] levelStarts = new int[8];
    private int levelCount = -1;

    public EvalContext() {
        this(new EvaluationStats());
    }

    public EvalContext(EvaluationStats stats) {
        this.stats = Objects.requireNonNull(stats, "stats");
    }

    /** Starts on a new message; everything derived from the previous one is forgotten. */
    public void reset(RuleInput message) {
        this.input = Objects.requireNonNull(message, "message");
        this.root = NOT_PARSED;
        this.levelCount = -1;
        if (refs.length > RETAINED_REFS) {
            refs = new JsonRef[64]; // refs of one huge payload are not worth keeping
        }
    }

    public RuleInput input() {
        return input;
    }

    public EvaluationStats stats() {
        return stats;
    }

    /** Counts a type mismatch and returns Undefined, for {@code return ctx.mismatch();}. */
    Object mismatch() {
        stats.typeMismatches().increment();
        return Undefined.INSTANCE;
    }

    /**
     * Undefined for an operand that cannot be used: counted as a mismatch unless the operand was
     * Undefined already (a missing field is not a type error).
     */
    Object unusable(Object operand) {
        return operand == Undefined.INSTANCE ? Undefined.INSTANCE : mismatch();
    }

    /** The payload's root node, or -1 when the payload is not one JSON document. Parses once per message. */
    int payloadRoot() {
        if (root == NOT_PARSED) {
            root = document.parse(input.payload(), input.payloadOffset(), input.payloadLength())
                    ? document.root() : NOT_JSON;
        }
        return root;
    }

    /** The payload's root value, or Undefined for a non-JSON payload. */
    Object payloadValue() {
        int node = payloadRoot();
        return node < 0 ? Undefined.INSTANCE : ref(node);
    }

    JsonDocument document() {
        return document;
    }

    /** The cached reference to a payload node: the same object for the same node, so no allocation per access. */
    JsonRef ref(int node) {
        if (node >= refs.length) {
            refs = Arrays.copyOf(refs, Math.max(refs.length * 2, node + 1));
        }
        JsonRef ref = refs[node];
        if (ref == null) {
            ref = new JsonRef(document, node);
            refs[node] = ref;
        }
        return ref;
    }

    /** A buffer for serializing values to text (string conversions); its content is short-lived. */
    JsonOutput scratch() {
        scratch.reset();
        return scratch;
    }

    /** Level {@code n} (1-based) of the topic, or {@code null} when the topic has fewer levels. */
    String topicLevel(int n) {
        String topic = input.topic();
        if (levelCount < 0) {
            splitTopic(topic);
        }
        if (n < 1 || n > levelCount) {
            return null;
        }
        int start = levelStarts[n - 1];
        int end = n < levelCount ? levelStarts[n] - 1 : topic.length();
        return topic.substring(start, end);
    }

    private void splitTopic(String topic) {
        int count = 0;
        int start = 0;
        while (true) {
            if (count == levelStarts.length) {
                levelStarts = Arrays.copyOf(levelStarts, count * 2);
            }
            levelStarts[count++] = start;
            int slash = topic.indexOf('/', start);
            if (slash < 0) {
                break;
            }
            start = slash + 1;
        }
        levelCount = count;
    }
}
