package io.tidegate.rules.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A substitution template: text with {@code ${expression}} parts, e.g. {@code telemetry/${clientid()}}
 * or {@code ${topic(2)}}. Expressions use the SQL expression language and see the original
 * message (not the SELECT result, whose aliases they cannot reference, as in AWS IoT). A string
 * is inserted without quotes, Undefined as nothing, anything else as JSON text. A {@code $} not
 * followed by <code>{</code> is plain text.
 */
public final class Template {

    private final String source;
    /** Alternating literal text ({@link String}) and expressions ({@link Expr}). */
    private final Object[] parts;

    private Template(String source, List<Object> parts) {
        this.source = source;
        this.parts = parts.toArray();
    }

    /** @throws ParseException with the line and column within {@code template} */
    public static Template parse(String template) throws ParseException {
        Objects.requireNonNull(template, "template");
        List<Object> parts = new ArrayList<>();
        int pos = 0;
        while (true) {
            int open = template.indexOf("${", pos);
            if (open < 0) {
                if (pos < template.length()) {
                    parts.add(template.substring(pos));
                }
                return new Template(template, parts);
            }
            if (open > pos) {
                parts.add(template.substring(pos, open));
            }
            Parser.TemplateExpression expression = Parser.templateExpression(template, open + 2);
            parts.add(expression.expr());
            pos = expression.end();
        }
    }

    public String source() {
        return source;
    }

    /** Whether the template has no {@code ${...}} part, so rendering it always gives {@link #source()}. */
    public boolean isConstant() {
        for (Object part : parts) {
            if (part instanceof Expr) {
                return false;
            }
        }
        return true;
    }

    /** Renders for the context's current message. */
    public String render(EvalContext ctx) {
        if (parts.length == 1 && parts[0] instanceof String text) {
            return text;
        }
        StringBuilder text = new StringBuilder(source.length() + 16);
        renderInto(text, ctx);
        return text.toString();
    }

    /** Renders one message from scratch, for tools and tests. */
    public String render(RuleInput message) {
        EvalContext ctx = new EvalContext();
        ctx.reset(message);
        return render(ctx);
    }

    /**
     * Appends the rendering to {@code text}.
     *
     * @return whether every expression was defined; an Undefined one inserted nothing
     */
    public boolean renderInto(StringBuilder text, EvalContext ctx) {
        boolean defined = true;
        for (Object part : parts) {
            if (part instanceof String literal) {
                text.append(literal);
            } else {
                Object value = ((Expr) part).eval(ctx);
                defined &= value != Undefined.INSTANCE;
                text.append(Values.templateText(value, ctx));
            }
        }
        return defined;
    }

    @Override
    public String toString() {
        return source;
    }
}
