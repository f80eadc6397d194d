package io.tidegate.rules;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tidegate.rules.sql.EvaluationStats;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one {@link RuleSet}, written by the routing thread and readable from any thread;
 * {@link #bindTo} exposes them as {@code tidegate_rules_*} meters.
 */
public final class RuleMetrics {

    private final EvaluationStats evaluation = new EvaluationStats();
    private final SingleWriterCounter unmatchedToDefault = new SingleWriterCounter();
    private final SingleWriterCounter unmatchedDropped = new SingleWriterCounter();
    private final SingleWriterCounter actionFailures = new SingleWriterCounter();
    private final SingleWriterCounter evaluationErrors = new SingleWriterCounter();
    private final Map<String, SingleWriterCounter> matchedByRule = new LinkedHashMap<>();

    RuleMetrics() {
    }

    SingleWriterCounter registerRule(String name) {
        return matchedByRule.computeIfAbsent(name, n -> new SingleWriterCounter());
    }

    SingleWriterCounter unmatchedToDefaultCounter() {
        return unmatchedToDefault;
    }

    SingleWriterCounter unmatchedDroppedCounter() {
        return unmatchedDropped;
    }

    SingleWriterCounter actionFailuresCounter() {
        return actionFailures;
    }

    SingleWriterCounter evaluationErrorsCounter() {
        return evaluationErrors;
    }

    EvaluationStats evaluation() {
        return evaluation;
    }

    /** Operators and functions that met a value they cannot use (answered Undefined). */
    public long typeMismatches() {
        return evaluation.typeMismatches().sum();
    }

    /** Messages no rule matched that went to the default destination. */
    public long unmatchedToDefault() {
        return unmatchedToDefault.get();
    }

    /** Messages no rule matched that were dropped ({@code routing.unmatched: drop}). */
    public long unmatchedDropped() {
        return unmatchedDropped.get();
    }

    /** Actions not delivered because a setting template was Undefined (sent to the error action if any). */
    public long actionFailures() {
        return actionFailures.get();
    }

    /** Rule evaluations that failed unexpectedly (a bug); the rule counted as not matched. */
    public long evaluationErrors() {
        return evaluationErrors.get();
    }

    /** Messages each enabled rule matched (topic filter and WHERE) so far, by rule name in configuration order. */
    public Map<String, Long> matchedByRule() {
        Map<String, Long> snapshot = new LinkedHashMap<>();
        matchedByRule.forEach((rule, counter) -> snapshot.put(rule, counter.get()));
        return Collections.unmodifiableMap(snapshot);
    }

    /** Registers the counters as {@code tidegate.rules.*} meters (Prometheus: {@code tidegate_rules_*_total}). */
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("tidegate.rules.type.mismatches", evaluation.typeMismatches(), LongAdder::sum)
                .description("Operators and functions that met a value they cannot use and answered Undefined")
                .register(registry);
        counter("tidegate.rules.unmatched", unmatchedToDefault, "Messages no rule matched")
                .tag("outcome", "default").register(registry);
        counter("tidegate.rules.unmatched", unmatchedDropped, "Messages no rule matched")
                .tag("outcome", "dropped").register(registry);
        counter("tidegate.rules.action.failures", actionFailures,
                "Actions not delivered because a setting template was Undefined").register(registry);
        counter("tidegate.rules.evaluation.errors", evaluationErrors,
                "Rule evaluations that failed unexpectedly").register(registry);
        matchedByRule.forEach((rule, count) -> counter("tidegate.rules.matched", count,
                "Messages the rule matched").tag("rule", rule).register(registry));
    }

    private static FunctionCounter.Builder<SingleWriterCounter> counter(String name, SingleWriterCounter count,
                                                                      String description) {
        return FunctionCounter.builder(name, count, SingleWriterCounter::get).description(description);
    }
}
