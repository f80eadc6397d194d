/**
 * Allocation-free JSON for the rules engine: an in-place index of a payload's bytes
 * ({@link io.tidegate.rules.json.JsonDocument}) and a reusable writer
 * ({@link io.tidegate.rules.json.JsonOutput}). Hand-written rather than Jackson because the route
 * stage evaluates every message on one thread, and a parser object, a token buffer and a tree per
 * message would cost more than the rules themselves.
 */
package io.tidegate.rules.json;
