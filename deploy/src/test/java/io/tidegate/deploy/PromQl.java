package io.tidegate.deploy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of a PromQL reader to find what a Grafana query names: metric selectors (with the label
 * names of their matchers and the functions around them) and the labels of {@code by}/{@code without}/
 * {@code on}/{@code ignoring} clauses. Grafana variables ({@code $job}, {@code $__rate_interval}) may
 * appear where PromQL has strings, durations or numbers.
 */
final class PromQl {

    /** A metric selector: {@code name{matchers}}, and the functions it sits in, innermost last. */
    record Selector(String metric, Set<String> matcherLabels, List<String> enclosing) {
    }

    record Query(List<Selector> selectors, Set<String> groupingLabels) {

        Set<String> metrics() {
            Set<String> metrics = new LinkedHashSet<>();
            selectors.forEach(s -> metrics.add(s.metric()));
            return metrics;
        }
    }

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "offset", "and", "or", "unless", "atan2", "inf", "nan", "Inf", "NaN");
    private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
    private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
            "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)\\s*$");

    private enum Kind { IDENT, MATCHERS, RANGE, STRING, NUMBER, VARIABLE, OPEN, CLOSE, COMMA, OPERATOR }

    private record Token(Kind kind, String text, Set<String> labels) {
    }

    private PromQl() {
    }

    static Query parse(String expr) {
        List<Token> tokens = tokenize(expr);
        List<Selector> selectors = new ArrayList<>();
        Set<String> grouping = new LinkedHashSet<>();
        Deque<String> stack = new ArrayDeque<>();
        String pendingCall = null;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
            switch (t.kind()) {
                case IDENT -> {
                    if (GROUPING.contains(t.text())) {
                        if (next != null && next.kind() == Kind.OPEN) {
                            int j = i + 2;
                            for (; j < tokens.size() && tokens.get(j).kind() != Kind.CLOSE; j++) {
                                if (tokens.get(j).kind() == Kind.IDENT) {
                                    grouping.add(tokens.get(j).text());
                                }
                            }
                            i = j;
                        }
                    } else if (next != null && next.kind() == Kind.OPEN) {
                        pendingCall = t.text();
                    } else if (AGGREGATIONS.contains(t.text()) && next != null && next.kind() == Kind.IDENT
                            && GROUPING.contains(next.text())) {
                        pendingCall = t.text();
                    } else if (!KEYWORDS.contains(t.text())) {
                        Set<String> labels = next != null && next.kind() == Kind.MATCHERS ? next.labels() : Set.of();
                        List<String> enclosing = new ArrayList<>();
                        stack.descendingIterator().forEachRemaining(enclosing::add);
                        selectors.add(new Selector(t.text(), labels, List.copyOf(enclosing)));
                    }
                }
                case MATCHERS -> {
                    Token previous = i > 0 ? tokens.get(i - 1) : null;
                    if (previous == null || previous.kind() != Kind.IDENT) {
                        throw new IllegalArgumentException("a selector without a metric name in " + expr);
                    }
                }
                case OPEN -> {
                    stack.push(pendingCall == null ? "" : pendingCall);
                    pendingCall = null;
                }
                case CLOSE -> {
                    if (stack.isEmpty()) {
                        throw new IllegalArgumentException("unbalanced ) in " + expr);
                    }
                    stack.pop();
                }
                default -> {
                }
            }
        }
        if (!stack.isEmpty()) {
            throw new IllegalArgumentException("unbalanced ( in " + expr);
        }
        return new Query(selectors, grouping);
    }

    /** The metric and label of a Grafana {@code label_values(metric{...}, label)} variable query. */
    static Query parseLabelValues(String query) {
        Matcher m = LABEL_VALUES.matcher(query);
        if (!m.matches()) {
            throw new IllegalArgumentException("not label_values(selector, label): " + query);
        }
        Query inner = parse(m.group(1));
        return new Query(inner.selectors(), Set.of(m.group(2)));
    }

    private static List<Token> tokenize(String expr) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < expr.length()) {
            char c = expr.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"' || c == '\'' || c == '`') {
                int end = endOfString(expr, i);
                tokens.add(new Token(Kind.STRING, expr.substring(i, end), Set.of()));
                i = end;
            } else if (c == '{') {
                Set<String> labels = new LinkedHashSet<>();
                int j = i + 1;
                while (j < expr.length() && expr.charAt(j) != '}') {
                    char d = expr.charAt(j);
                    if (d == '"' || d == '\'' || d == '`') {
                        j = endOfString(expr, j);
                    } else if (Character.isLetter(d) || d == '_') {
                        int k = j;
                        while (k < expr.length() && (Character.isLetterOrDigit(expr.charAt(k)) || expr.charAt(k) == '_')) {
                            k++;
                        }
                        labels.add(expr.substring(j, k));
                        j = k;
                    } else {
                        j++;
                    }
                }
                if (j >= expr.length()) {
                    throw new IllegalArgumentException("unclosed { in " + expr);
                }
                tokens.add(new Token(Kind.MATCHERS, expr.substring(i, j + 1), labels));
                i = j + 1;
            } else if (c == '[') {
                int end = expr.indexOf(']', i);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed [ in " + expr);
                }
                tokens.add(new Token(Kind.RANGE, expr.substring(i, end + 1), Set.of()));
                i = end + 1;
            } else if (c == '$') {
                int j = i + 1;
                if (j < expr.length() && expr.charAt(j) == '{') {
                    j = expr.indexOf('}', j) + 1;
                } else {
                    while (j < expr.length() && (Character.isLetterOrDigit(expr.charAt(j)) || expr.charAt(j) == '_')) {
                        j++;
                    }
                }
                tokens.add(new Token(Kind.VARIABLE, expr.substring(i, j), Set.of()));
                i = j;
            } else if (Character.isDigit(c) || c == '.' && i + 1 < expr.length() && Character.isDigit(expr.charAt(i + 1))) {
                int j = i;
                while (j < expr.length() && (Character.isLetterOrDigit(expr.charAt(j)) || expr.charAt(j) == '.')) {
                    j++;
                }
                tokens.add(new Token(Kind.NUMBER, expr.substring(i, j), Set.of()));
                i = j;
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int j = i;
                while (j < expr.length() && (Character.isLetterOrDigit(expr.charAt(j)) || expr.charAt(j) == '_'
                        || expr.charAt(j) == ':')) {
                    j++;
                }
                tokens.add(new Token(Kind.IDENT, expr.substring(i, j), Set.of()));
                i = j;
            } else if (c == '(') {
                tokens.add(new Token(Kind.OPEN, "(", Set.of()));
                i++;
            } else if (c == ')') {
                tokens.add(new Token(Kind.CLOSE, ")", Set.of()));
                i++;
            } else if (c == ',') {
                tokens.add(new Token(Kind.COMMA, ",", Set.of()));
                i++;
            } else {
                tokens.add(new Token(Kind.OPERATOR, String.valueOf(c), Set.of()));
                i++;
            }
        }
        return tokens;
    }

    private static int endOfString(String expr, int start) {
        char quote = expr.charAt(start);
        int j = start + 1;
        while (j < expr.length() && expr.charAt(j) != quote) {
            j += expr.charAt(j) == '\\' && quote != '`' ? 2 : 1;
        }
        if (j >= expr.length()) {
            throw new IllegalArgumentException("unclosed string in " + expr);
        }
        return j + 1;
    }
}
