/**
 * The AWS IoT SQL language (version 2016-03-23) as the AWS IoT SQL reference documents it:
 * statements ({@link io.tidegate.rules.sql.SqlStatement}), substitution templates
 * ({@link io.tidegate.rules.sql.Template}), and their evaluation against a message
 * ({@link io.tidegate.rules.sql.RuleInput}, {@link io.tidegate.rules.sql.EvalContext}).
 *
 * <h2>Why a hand-written recursive-descent parser</h2>
 * The grammar is small (one statement form, about a dozen precedence levels and productions),
 * so a parser generator would add a build step, generated sources and a runtime library (ANTLR's)
 * to the gateway for little gain. Writing it by hand keeps the grammar readable in one class
 * ({@link io.tidegate.rules.sql.Parser}), lets every error say exactly what was expected at which
 * line and column, and lets template expressions stop at their closing brace without a second
 * lexer mode.
 *
 * <h2>Evaluation model</h2>
 * Parsing builds a tree of immutable nodes once; evaluation walks it per message. Evaluation
 * never throws on bad data: missing fields, type mismatches and invalid arguments are
 * {@link io.tidegate.rules.sql.Undefined}, and mismatches are counted in
 * {@link io.tidegate.rules.sql.EvaluationStats}. The payload is parsed only when a rule first
 * reads a field, once per message however many rules read it, into a reusable index of the bytes
 * ({@link io.tidegate.rules.json.JsonDocument}); selected values are copied from the payload's
 * bytes rather than decoded and re-encoded, and a {@code SELECT *} alone never parses the payload.
 *
 * <h2>Differences from AWS IoT</h2>
 * Not supported: nested {@code SELECT} queries, the SET clause and variables, {@code IN},
 * functions that call AWS services or are not listed in the README. {@code timestamp()} is the
 * gateway's ingest time; {@code principal()} is the client's certificate identity, not a
 * certificate thumbprint. Unknown functions and wrong argument counts are parse errors rather
 * than Undefined at run time. Unnamed non-path SELECT items are named {@code _1}, {@code _2}, ...
 * by their position, as AWS documents no name for them.
 */
package io.tidegate.rules.sql;
