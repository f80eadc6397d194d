/**
 * The rules engine: AWS IoT SQL rules from the configuration, compiled once and run on every
 * message to decide where it is stored and in what form. The language itself is in
 * {@link io.tidegate.rules.sql}.
 *
 * <h2>Wiring it into the route stage</h2>
 * <pre>{@code
 * // Once, when the gateway starts (the config is validated, so compile does not fail):
 * RuleSet rules = RuleSet.compile(config, outboxes::idOf);
 * rules.metrics().bindTo(registry);
 *
 * // On the route stage's thread only:
 * MessageInput input = new MessageInput();
 * RouteSink sink = (destinationId, payload, length, settings) -> {
 *     // payload == null: store the message's own payload unchanged (SELECT *, default destination).
 *     // Otherwise copy payload[0, length) now: the array is reused for the next delivery.
 *     // settings: the action's rendered settings (e.g. a partition key); copy what you keep.
 * };
 *
 * // Per message:
 * input.set(event.topic(), event.clientId(), principalOrNull, event.ingestTimeMillis(), event.qos(),
 *           event.payload(), 0, event.payloadLength(), event.properties());
 * int deliveries = rules.route(input, sink);   // 0: stored nowhere (dropped by the rules), still acknowledged
 * }</pre>
 *
 * <p>Per message, each enabled rule whose FROM topic filter matches is evaluated once; a rule
 * whose WHERE clause is true delivers its SELECT result once per action, in configuration order
 * (two rules naming the same destination store two entries). A message no rule matched goes to
 * {@code routing.defaultDestination} unchanged, or is dropped and counted with
 * {@code routing.unmatched: drop}. With no rules configured, every message goes to the default
 * destination, as before the rules engine.
 *
 * <p>An action whose setting template refers to a value that is Undefined for the message is not
 * delivered; the rule's {@code errorAction}, if configured, receives an AWS-style error document
 * instead, and {@link io.tidegate.rules.RuleMetrics#actionFailures()} counts it.
 */
package io.tidegate.rules;
