package io.tidegate.rules.sql;

import io.tidegate.mqtt.topic.TopicProblem;
import io.tidegate.mqtt.topic.Topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Recursive-descent parser for AWS IoT SQL (2016-03-23) statements and for {@code ${...}}
 * template expressions; see the package documentation for why it is hand-written.
 *
 * <pre>
 * statement   = SELECT [VALUE] item {"," item} FROM string [WHERE expr]
 * item        = "*" | expr [AS (identifier | string)]
 * expr        = and {OR and}
 * and         = not {AND not}
 * not         = NOT not | comparison
 * comparison  = additive [("=" | "&lt;&gt;" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=") additive]
 * additive    = term {("+" | "-") term}
 * term        = unary {("*" | "/" | "%") unary}
 * unary       = "-" unary | postfix
 * postfix     = primary {"." identifier | "[" expr "]"}
 * primary     = number | string | TRUE | FALSE | NULL | "(" expr ")" | case | cast
 *             | identifier "(" [arg {"," arg}] ")" | identifier | object | array
 * arg         = "*" | expr
 * case        = CASE [expr] WHEN expr THEN expr {WHEN expr THEN expr} [ELSE expr] END
 * cast        = CAST "(" expr AS type ")"
 * object      = "{" [(string | identifier) ":" expr {"," ...}] "}"
 * array       = "[" [expr {"," expr}] "]"
 * </pre>
 */
final class Parser {

    /** Words that cannot name a payload field without quoting, case-insensitive. */
    private static final Set<String> RESERVED = Set.of("SELECT", "FROM", "WHERE", "AS", "AND", "OR", "NOT", "CASE",
            "WHEN", "THEN", "ELSE", "END", "TRUE", "FALSE", "NULL");
    /** Deeper expressions are refused so evaluation cannot overflow the stack. */
    private static final int MAX_DEPTH = 64;

    private final Lexer lexer;
    private Token current;
    private Token lookahead;
    private int depth;

    private Parser(String source, int start) throws ParseException {
        this.lexer = new Lexer(source, start);
        this.current = lexer.next();
    }

    static SqlStatement statement(String sql) throws ParseException {
        return new Parser(sql, 0).parseStatement(sql);
    }

    /**
     * Parses the expression of a {@code ${...}} template starting at {@code start} (just after
     * {@code ${}) up to its closing brace.
     *
     * @return the expression and the index just after the closing brace
     */
    static TemplateExpression templateExpression(String template, int start) throws ParseException {
        Parser parser = new Parser(template, start);
        Expr expr = parser.expression();
        Token close = parser.current;
        if (!close.is(TokenType.RIGHT_BRACE)) {
            throw parser.expected("an operator or '}' closing the ${...} expression");
        }
        return new TemplateExpression(expr, close.offset() + 1);
    }

    record TemplateExpression(Expr expr, int end) {
    }

    // ---- statement --------------------------------------------------------------------------------

    private SqlStatement parseStatement(String sql) throws ParseException {
        expectKeyword("SELECT");
        boolean valueForm = current.isKeyword("VALUE") && startsExpression(peek());
        if (valueForm) {
            advance();
        }
        List<SelectItem> items = new ArrayList<>();
        do {
            items.add(selectItem(valueForm, items));
        } while (!valueForm && accept(TokenType.COMMA));
        if (!current.isKeyword("FROM")) {
            throw expected(valueForm ? "FROM" : "',', AS or FROM");
        }
        advance();
        String filter = topicFilter();
        Expr where = null;
        if (current.isKeyword("WHERE")) {
            advance();
            where = expression();
        }
        if (!current.is(TokenType.END)) {
            throw expected(where == null ? "WHERE or the end of the statement" : "an operator or the end of the statement");
        }
        return new SqlStatement(sql, filter, valueForm, items, where);
    }

    private SelectItem selectItem(boolean valueForm, List<SelectItem> earlier) throws ParseException {
        if (current.is(TokenType.STAR) && !valueForm) {
            if (earlier.stream().anyMatch(SelectItem.Star.class::isInstance)) {
                throw expected("'*' only once in SELECT");
            }
            advance();
            return new SelectItem.Star();
        }
        Expr expr = expression();
        String name = null;
        if (!valueForm && current.isKeyword("AS")) {
            advance();
            if (current.is(TokenType.STRING) || current.is(TokenType.IDENTIFIER) && !isReserved(current)) {
                name = current.is(TokenType.STRING) ? (String) current.value() : current.text();
                advance();
            } else {
                throw expected("a name after AS");
            }
        }
        if (name == null && expr instanceof FieldExpr field) {
            name = field.name();
        } else if (name == null && expr instanceof PathExpr path) {
            name = path.defaultName();
        }
        if (name == null) {
            name = "_" + (earlier.size() + 1); // AWS documents no name for unnamed expressions
        }
        return new SelectItem.Named(name, expr);
    }

    private String topicFilter() throws ParseException {
        if (!current.is(TokenType.STRING) || current.quote() != '\'') {
            throw expected("a topic filter in single quotes, e.g. FROM 'dt/+/telemetry'");
        }
        String filter = (String) current.value();
        if (Topics.isShared(filter)) {
            throw expected("a topic filter without $share (rules see every message)");
        }
        TopicProblem problem = Topics.validateTopicFilter(filter);
        if (problem != null) {
            throw expected("a valid MQTT topic filter (" + problem + ")");
        }
        advance();
        return filter;
    }

    // ---- expressions ------------------------------------------------------------------------------

    private Expr expression() throws ParseException {
        if (++depth > MAX_DEPTH) {
            throw expected("a less deeply nested expression (at most " + MAX_DEPTH + " levels)");
        }
        Expr left = and();
        while (current.isKeyword("OR")) {
            advance();
            left = new Logical(false, left, and());
        }
        depth--;
        return left;
    }

    private Expr and() throws ParseException {
        Expr left = not();
        while (current.isKeyword("AND")) {
            advance();
            left = new Logical(true, left, not());
        }
        return left;
    }

    private Expr not() throws ParseException {
        if (current.isKeyword("NOT")) {
            advance();
            return new Not(nested(this::not));
        }
        return comparison();
    }

    private Expr comparison() throws ParseException {
        Expr left = additive();
        TokenType type = current.type();
        switch (type) {
            case EQUAL, NOT_EQUAL -> {
                advance();
                return new Equality(type == TokenType.NOT_EQUAL, left, additive());
            }
            case LESS, LESS_EQUAL, GREATER, GREATER_EQUAL -> {
                advance();
                Comparison.Operator operator = switch (type) {
                    case LESS -> Comparison.Operator.LESS;
                    case LESS_EQUAL -> Comparison.Operator.LESS_EQUAL;
                    case GREATER -> Comparison.Operator.GREATER;
                    default -> Comparison.Operator.GREATER_EQUAL;
                };
                return new Comparison(operator, left, additive());
            }
            default -> {
                return left;
            }
        }
    }

    private Expr additive() throws ParseException {
        Expr left = term();
        while (current.is(TokenType.PLUS) || current.is(TokenType.MINUS)) {
            Arithmetic.Operator operator = current.is(TokenType.PLUS) ? Arithmetic.Operator.PLUS : Arithmetic.Operator.MINUS;
            advance();
            left = new Arithmetic(operator, left, term());
        }
        return left;
    }

    private Expr term() throws ParseException {
        Expr left = unary();
        while (current.is(TokenType.STAR) || current.is(TokenType.SLASH) || current.is(TokenType.PERCENT)) {
            Arithmetic.Operator operator = current.is(TokenType.STAR) ? Arithmetic.Operator.TIMES
                    : current.is(TokenType.SLASH) ? Arithmetic.Operator.DIVIDE : Arithmetic.Operator.MODULO;
            advance();
            left = new Arithmetic(operator, left, unary());
        }
        return left;
    }

    private Expr unary() throws ParseException {
        if (current.is(TokenType.MINUS)) {
            advance();
            Expr operand = nested(this::unary);
            if (operand instanceof Literal literal && literal.value() instanceof Number number) {
                return new Literal(Numbers.negate(number)); // -5 is a constant, comparable without evaluation
            }
            return new Negate(operand);
        }
        return postfix();
    }

    private Expr postfix() throws ParseException {
        Expr base = primary();
        List<PathStep> steps = new ArrayList<>();
        while (true) {
            if (accept(TokenType.DOT)) {
                if (!current.is(TokenType.IDENTIFIER)) {
                    throw expected("a field name after '.'");
                }
                steps.add(new PathStep.Member(current.text()));
                advance();
            } else if (accept(TokenType.LEFT_BRACKET)) {
                steps.add(new PathStep.Index(expression()));
                expect(TokenType.RIGHT_BRACKET, "']'");
            } else {
                break;
            }
        }
        if (steps.isEmpty()) {
            return base;
        }
        if (base instanceof FieldExpr field) {
            steps.add(0, new PathStep.Member(field.name()));
            return new PathExpr(PayloadValue.INSTANCE, steps);
        }
        return base instanceof PathExpr path ? path.append(steps) : new PathExpr(base, steps);
    }

    private Expr primary() throws ParseException {
        Token token = current;
        switch (token.type()) {
            case NUMBER -> {
                advance();
                return new Literal(token.value());
            }
            case STRING -> {
                advance();
                return new Literal(token.value());
            }
            case LEFT_PAREN -> {
                advance();
                Expr inner = expression();
                expect(TokenType.RIGHT_PAREN, "')'");
                return inner;
            }
            case LEFT_BRACE -> {
                return objectLiteral();
            }
            case LEFT_BRACKET -> {
                return arrayLiteral();
            }
            case IDENTIFIER -> {
                return identifier(token);
            }
            default -> throw expected("an expression");
        }
    }

    private Expr identifier(Token token) throws ParseException {
        if (token.isKeyword("TRUE") || token.isKeyword("FALSE")) {
            advance();
            return new Literal(token.isKeyword("TRUE"));
        }
        if (token.isKeyword("NULL")) {
            advance();
            return new Literal(Null.INSTANCE);
        }
        if (token.isKeyword("CASE")) {
            advance();
            return caseExpression();
        }
        if (isReserved(token)) {
            throw expected("an expression");
        }
        if (peek().is(TokenType.LEFT_PAREN)) {
            return token.isKeyword("CAST") ? cast() : call(token);
        }
        advance();
        return new FieldExpr(token.text());
    }

    private Expr call(Token name) throws ParseException {
        FunctionSpec function = Functions.lookup(name.text());
        if (function == null) {
            throw new ParseException(name.line(), name.column(), "a known function", name.describe());
        }
        advance();
        advance(); // (
        List<Expr> args = new ArrayList<>();
        if (!current.is(TokenType.RIGHT_PAREN)) {
            do {
                if (current.is(TokenType.STAR) && (peek().is(TokenType.COMMA) || peek().is(TokenType.RIGHT_PAREN))) {
                    advance();
                    args.add(StarArgument.INSTANCE);
                } else {
                    args.add(expression());
                }
            } while (accept(TokenType.COMMA));
        }
        expect(TokenType.RIGHT_PAREN, "',' or ')'");
        Expr call = function.compile(args);
        if (call == null) {
            throw new ParseException(name.line(), name.column(), function.arities() + " for " + function.name(),
                    args.size() + (args.size() == 1 ? " argument" : " arguments"));
        }
        return call;
    }

    private Expr cast() throws ParseException {
        advance();
        advance(); // (
        Expr operand = expression();
        if (!current.isKeyword("AS")) {
            throw expected("AS and a type in cast(value AS type)");
        }
        advance();
        CastExpr.Target target = current.is(TokenType.IDENTIFIER) ? CastExpr.target(current.text()) : null;
        if (target == null) {
            throw expected("a type: String, Int, Integer, Decimal, Double, Bool, Boolean, Nvarchar, Text, Ntext or Varchar");
        }
        advance();
        expect(TokenType.RIGHT_PAREN, "')'");
        return new CastExpr(operand, target);
    }

    private Expr caseExpression() throws ParseException {
        Expr subject = current.isKeyword("WHEN") ? null : expression();
        List<Expr> conditions = new ArrayList<>();
        List<Expr> results = new ArrayList<>();
        if (!current.isKeyword("WHEN")) {
            throw expected("WHEN");
        }
        while (current.isKeyword("WHEN")) {
            advance();
            conditions.add(expression());
            if (!current.isKeyword("THEN")) {
                throw expected("THEN");
            }
            advance();
            results.add(expression());
        }
        Expr otherwise = null;
        if (current.isKeyword("ELSE")) {
            advance();
            otherwise = expression();
        }
        if (!current.isKeyword("END")) {
            throw expected(otherwise == null ? "WHEN, ELSE or END" : "END");
        }
        advance();
        return new CaseExpr(subject, conditions, results, otherwise);
    }

    private Expr objectLiteral() throws ParseException {
        advance(); // {
        List<String> keys = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        if (!current.is(TokenType.RIGHT_BRACE)) {
            do {
                if (current.is(TokenType.STRING)) {
                    keys.add((String) current.value());
                } else if (current.is(TokenType.IDENTIFIER) && !isReserved(current)) {
                    keys.add(current.text());
                } else {
                    throw expected("a key in quotes");
                }
                advance();
                expect(TokenType.COLON, "':'");
                values.add(expression());
            } while (accept(TokenType.COMMA));
        }
        expect(TokenType.RIGHT_BRACE, "',' or '}'");
        return new ObjectLiteral(keys, values);
    }

    private Expr arrayLiteral() throws ParseException {
        advance(); // [
        List<Expr> elements = new ArrayList<>();
        if (!current.is(TokenType.RIGHT_BRACKET)) {
            do {
                elements.add(expression());
            } while (accept(TokenType.COMMA));
        }
        expect(TokenType.RIGHT_BRACKET, "',' or ']'");
        return new ArrayLiteral(elements);
    }

    // ---- tokens -----------------------------------------------------------------------------------

    private interface Production {
        Expr parse() throws ParseException;
    }

    /** Runs a self-recursive production (NOT NOT ..., - - ...) under the depth limit. */
    private Expr nested(Production production) throws ParseException {
        if (++depth > MAX_DEPTH) {
            throw expected("a less deeply nested expression (at most " + MAX_DEPTH + " levels)");
        }
        Expr expr = production.parse();
        depth--;
        return expr;
    }

    private static boolean isReserved(Token token) {
        return token.is(TokenType.IDENTIFIER) && RESERVED.contains(token.text().toUpperCase(Locale.ROOT));
    }

    /**
     * Whether SELECT VALUE is the keyword: it is when an expression follows; before ',', FROM, AS,
     * an operator, '.' or '[' it is a field named "value".
     */
    private static boolean startsExpression(Token next) {
        return switch (next.type()) {
            case IDENTIFIER -> !isReserved(next) || next.isKeyword("CASE") || next.isKeyword("NOT")
                    || next.isKeyword("TRUE") || next.isKeyword("FALSE") || next.isKeyword("NULL");
            case NUMBER, STRING, LEFT_PAREN, LEFT_BRACE -> true;
            default -> false;
        };
    }

    private Token peek() throws ParseException {
        if (lookahead == null) {
            lookahead = lexer.next();
        }
        return lookahead;
    }

    private void advance() throws ParseException {
        if (lookahead != null) {
            current = lookahead;
            lookahead = null;
        } else {
            current = lexer.next();
        }
    }

    private boolean accept(TokenType type) throws ParseException {
        if (current.is(type)) {
            advance();
            return true;
        }
        return false;
    }

    private void expect(TokenType type, String description) throws ParseException {
        if (!current.is(type)) {
            throw expected(description);
        }
        advance();
    }

    private void expectKeyword(String keyword) throws ParseException {
        if (!current.isKeyword(keyword)) {
            throw expected(keyword);
        }
        advance();
    }

    private ParseException expected(String what) {
        return new ParseException(current.line(), current.column(), what, current.describe());
    }
}
