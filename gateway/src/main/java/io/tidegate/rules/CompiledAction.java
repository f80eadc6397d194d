package io.tidegate.rules;

import io.tidegate.config.ActionConfig;
import io.tidegate.rules.sql.EvalContext;
import io.tidegate.rules.sql.ParseException;
import io.tidegate.rules.sql.Template;

import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * One action of a rule: its destination and its settings, whose templates are rendered per
 * message into reused slots. Confined to the routing thread, like the {@link RuleSet}.
 */
final class CompiledAction implements ActionSettings {

    private final String label;
    private final String destination;
    private final int destinationId;
    private final String[] names;
    private final Template[] templates;
    private final String[] values;
    private final StringBuilder text = new StringBuilder();
    private int undefinedSetting = -1;

    private CompiledAction(String label, String destination, int destinationId, String[] names, Template[] templates) {
        this.label = label;
        this.destination = destination;
        this.destinationId = destinationId;
        this.names = names;
        this.templates = templates;
        this.values = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            if (templates[i].isConstant()) {
                values[i] = templates[i].source();
            }
        }
    }

    /**
     * @param label where the action is configured, e.g. {@code actions[0]}, for error documents
     * @throws IllegalArgumentException when the destination is unknown or a template does not parse
     */
    static CompiledAction compile(String label, ActionConfig config, ToIntFunction<String> destinationIds) {
        int id = destinationIds.applyAsInt(config.destination());
        if (id < 0) {
            throw new IllegalArgumentException(label + ".destination: unknown destination " + config.destination());
        }
        String[] names = new String[config.settings().size()];
        Template[] templates = new Template[names.length];
        int i = 0;
        for (Map.Entry<String, String> setting : config.settings().entrySet()) {
            names[i] = setting.getKey();
            try {
                templates[i] = Template.parse(setting.getValue());
            } catch (ParseException e) {
                throw new IllegalArgumentException(label + ".settings." + setting.getKey() + ": " + e.getMessage(), e);
            }
            i++;
        }
        return new CompiledAction(label, config.destination(), id, names, templates);
    }

    int destinationId() {
        return destinationId;
    }

    String destination() {
        return destination;
    }

    String label() {
        return label;
    }

    /**
     * Renders the templated settings for the context's message.
     *
     * @return false when a template's expression was Undefined: the action cannot be produced
     */
    boolean render(EvalContext ctx) {
        undefinedSetting = -1;
        for (int i = 0; i < templates.length; i++) {
            if (templates[i].isConstant()) {
                continue;
            }
            text.setLength(0);
            if (!templates[i].renderInto(text, ctx) && undefinedSetting < 0) {
                undefinedSetting = i;
            }
            values[i] = text.toString();
        }
        return undefinedSetting < 0;
    }

    /** Why {@link #render} failed, for the error document. */
    String failure() {
        return "setting " + names[undefinedSetting] + " (" + templates[undefinedSetting].source()
                + ") refers to a value that is Undefined for this message";
    }

    @Override
    public int size() {
        return names.length;
    }

    @Override
    public String name(int index) {
        return names[index];
    }

    @Override
    public String value(int index) {
        return values[index];
    }
}
