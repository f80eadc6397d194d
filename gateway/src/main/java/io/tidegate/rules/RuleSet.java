package io.tidegate.rules;

import io.tidegate.config.ActionConfig;
import io.tidegate.config.RoutingConfig;
import io.tidegate.config.RuleConfig;
import io.tidegate.config.TidegateConfig;
import io.tidegate.rules.json.JsonOutput;
import io.tidegate.rules.sql.EvalContext;
import io.tidegate.rules.sql.ParseException;
import io.tidegate.rules.sql.RuleInput;
import io.tidegate.rules.sql.SqlStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * The configured rules, compiled, and the routing decision for each message. See the package
 * documentation for how the route stage calls {@link #route}.
 *
 * <p>Confined to one thread (the route stage's): it reuses one evaluation context and output
 * buffer for every message. Compile one per thread if several threads route.
 */
public final class RuleSet {

    private static final Logger log = LoggerFactory.getLogger(RuleSet.class);
    private static final long ERROR_LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final CompiledRule[] rules;
    private final int defaultDestinationId;
    private final boolean dropUnmatched;
    private final RuleMetrics metrics;
    private final EvalContext ctx;
    private final JsonOutput output = new JsonOutput();
    private final JsonOutput errorOutput = new JsonOutput();
    private final List<CompiledAction> failedActions = new ArrayList<>();
    private long lastErrorLogNanos = System.nanoTime() - ERROR_LOG_INTERVAL_NANOS;

    private RuleSet(CompiledRule[] rules, int defaultDestinationId, boolean dropUnmatched, RuleMetrics metrics) {
        this.rules = rules;
        this.defaultDestinationId = defaultDestinationId;
        this.dropUnmatched = dropUnmatched;
        this.metrics = metrics;
        this.ctx = new EvalContext(metrics.evaluation());
    }

    /** Compiles {@code config.rules()} with {@code config.routing()}. */
    public static RuleSet compile(TidegateConfig config, ToIntFunction<String> destinationIds) {
        return compile(config.rules(), config.routing(), destinationIds);
    }

    /**
     * Compiles the enabled rules, in order. The configuration is expected to be validated
     * ({@code ConfigValidator}); anything unusable still fails here rather than at routing time.
     *
     * @param destinationIds destination name → id (e.g. {@code Outboxes::idOf}); a negative id means unknown
     * @throws IllegalArgumentException naming the rule field that cannot be compiled
     */
    public static RuleSet compile(List<RuleConfig> rules, RoutingConfig routing, ToIntFunction<String> destinationIds) {
        Objects.requireNonNull(routing, "routing");
        RuleMetrics metrics = new RuleMetrics();
        List<CompiledRule> compiled = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            RuleConfig rule = rules.get(i);
            if (rule.isEnabled()) {
                compiled.add(compileRule("rules[" + i + "]", rule, destinationIds, metrics));
            }
        }
        int defaultId = destinationIds.applyAsInt(routing.defaultDestination());
        boolean drop = routing.unmatched() == RoutingConfig.Unmatched.DROP;
        if (defaultId < 0 && !drop) {
            throw new IllegalArgumentException("routing.defaultDestination: unknown destination "
                    + routing.defaultDestination());
        }
        return new RuleSet(compiled.toArray(CompiledRule[]::new), defaultId, drop, metrics);
    }

    private static CompiledRule compileRule(String path, RuleConfig rule, ToIntFunction<String> destinationIds,
                                            RuleMetrics metrics) {
        SqlStatement statement;
        try {
            statement = SqlStatement.parse(rule.sql());
        } catch (ParseException e) {
            throw new IllegalArgumentException(path + ".sql: " + e.getMessage(), e);
        }
        List<ActionConfig> actionConfigs = rule.actions();
        CompiledAction[] actions = new CompiledAction[actionConfigs.size()];
        for (int a = 0; a < actions.length; a++) {
            actions[a] = CompiledAction.compile("actions[" + a + "]", actionConfigs.get(a), destinationIds);
        }
        CompiledAction errorAction = rule.errorAction() == null ? null
                : CompiledAction.compile("errorAction", rule.errorAction(), destinationIds);
        return new CompiledRule(rule.name(), statement, actions, errorAction, metrics.registerRule(rule.name()));
    }

    /**
     * Routes one message: every enabled rule whose FROM filter matches the topic is evaluated, and
     * each rule whose WHERE holds delivers its SELECT result to each of its actions; a message no
     * rule matched goes to the default destination with its payload unchanged (or is dropped and
     * counted, with {@code routing.unmatched: drop}). Never throws for bad data.
     *
     * @param sink receives each delivery before this method returns
     * @return how many deliveries were made; 0 means the message is stored nowhere
     */
    public int route(RuleInput message, RouteSink sink) {
        ctx.reset(message);
        String topic = message.topic();
        int deliveries = 0;
        boolean matchedAny = false;
        for (CompiledRule rule : rules) {
            if (!rule.statement().matchesTopic(topic) || !matches(rule)) {
                continue;
            }
            matchedAny = true;
            rule.matched().increment();
            deliveries += deliver(rule, message, sink);
        }
        if (matchedAny) {
            return deliveries;
        }
        if (dropUnmatched) {
            metrics.unmatchedDroppedCounter().increment();
            return 0;
        }
        metrics.unmatchedToDefaultCounter().increment();
        sink.deliver(defaultDestinationId, null, message.payloadLength(), ActionSettings.NONE);
        return 1;
    }

    private boolean matches(CompiledRule rule) {
        try {
            return rule.statement().evaluate(ctx, output);
        } catch (RuntimeException e) {
            // Evaluation answers Undefined for bad data; an exception is a bug. Keep routing the others.
            metrics.evaluationErrorsCounter().increment();
            long now = System.nanoTime();
            if (now - lastErrorLogNanos > ERROR_LOG_INTERVAL_NANOS) {
                lastErrorLogNanos = now;
                log.error("rule {} failed to evaluate; it is treated as not matching", rule.name(), e);
            }
            return false;
        }
    }

    private int deliver(CompiledRule rule, RuleInput message, RouteSink sink) {
        boolean unchanged = rule.statement().passesPayloadThrough();
        byte[] payload = unchanged ? null : output.array();
        int length = unchanged ? message.payloadLength() : output.length();
        int delivered = 0;
        failedActions.clear();
        for (CompiledAction action : rule.actions()) {
            if (action.render(ctx)) {
                sink.deliver(action.destinationId(), payload, length, action);
                delivered++;
            } else {
                failedActions.add(action);
            }
        }
        if (failedActions.isEmpty()) {
            return delivered;
        }
        metrics.actionFailuresCounter().add(failedActions.size());
        CompiledAction errorAction = rule.errorAction();
        if (errorAction != null) {
            errorAction.render(ctx); // an Undefined here leaves an empty value; there is no error action for the error action
            ErrorDocument.write(errorOutput, rule.name(), message, failedActions);
            sink.deliver(errorAction.destinationId(), errorOutput.array(), errorOutput.length(), errorAction);
            delivered++;
        }
        return delivered;
    }

    /** The most deliveries {@link #route} can make for one message (its callers size buffers by it). */
    public int maxDeliveries() {
        int most = 0;
        for (CompiledRule rule : rules) {
            most += rule.actions().length + (rule.errorAction() == null ? 0 : 1);
        }
        return Math.max(1, most);
    }

    public RuleMetrics metrics() {
        return metrics;
    }

    /** How many rules are enabled; 0 sends every message to the default destination. */
    public int size() {
        return rules.length;
    }
}
