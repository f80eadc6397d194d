package io.tidegate.rules.sql;

import io.tidegate.rules.json.JsonDocument;
import io.tidegate.rules.json.JsonOutput;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One item of a SELECT list, written straight into the output object. Like setting keys on a
 * JSON object in order, a later item with the same name replaces an earlier one (and a later
 * {@code *} member replaces an earlier item), so replaced items are skipped instead of written twice.
 */
abstract class SelectItem {

    /**
     * Writes this item's members, each preceded by a comma unless {@code first}.
     *
     * @return whether the output is still without members
     */
    abstract boolean write(EvalContext ctx, JsonOutput out, boolean first);

    /** {@code expression [AS name]}: left out when Undefined. */
    static final class Named extends SelectItem {

        private final String name;
        private final byte[] nameUtf8;
        private final byte[] prefix;
        private final Expr expr;
        /** A later item has the same name. */
        private boolean replaced;
        /** A later {@code *} writes the payload member with this name, if there is one. */
        private boolean beforeStar;

        Named(String name, Expr expr) {
            this.name = name;
            this.nameUtf8 = name.getBytes(StandardCharsets.UTF_8);
            JsonOutput key = new JsonOutput(name.length() + 3);
            key.writeString(name).write(':');
            this.prefix = key.toByteArray();
            this.expr = expr;
        }

        String name() {
            return name;
        }

        Expr expr() {
            return expr;
        }

        @Override
        boolean write(EvalContext ctx, JsonOutput out, boolean first) {
            if (replaced || beforeStar && payloadHas(ctx)) {
                return first;
            }
            Object value = expr.eval(ctx);
            if (value == Undefined.INSTANCE) {
                return first;
            }
            if (!first) {
                out.write(',');
            }
            out.write(prefix);
            ValueWriter.write(out, value);
            return false;
        }

        private boolean payloadHas(EvalContext ctx) {
            int root = ctx.payloadRoot();
            return root >= 0 && ctx.document().type(root) == JsonDocument.OBJECT
                    && ctx.document().member(root, nameUtf8, name) >= 0;
        }
    }

    /** {@code *} among other items: the payload object's members. */
    static final class Star extends SelectItem {

        /** Names written by items after this one, which replace payload members of the same name. */
        private byte[][] laterUtf8 = new byte[0][];
        private String[] later = new String[0];

        @Override
        boolean write(EvalContext ctx, JsonOutput out, boolean first) {
            int root = ctx.payloadRoot();
            JsonDocument doc = ctx.document();
            if (root < 0 || doc.type(root) != JsonDocument.OBJECT) {
                ctx.mismatch(); // AWS: with other items, * needs a JSON object payload
                return first;
            }
            byte[] buf = doc.buffer();
            for (int key = doc.firstKey(root); key >= 0; key = doc.nextKey(root, key)) {
                if (isReplaced(doc, key)) {
                    continue;
                }
                if (!first) {
                    out.write(',');
                }
                first = false;
                out.write(buf, doc.start(key), doc.end(key) - doc.start(key));
                out.write(':');
                ValueWriter.writeNode(out, doc, key + 1);
            }
            return first;
        }

        private boolean isReplaced(JsonDocument doc, int key) {
            for (int i = 0; i < later.length; i++) {
                if (doc.textEquals(key, laterUtf8[i], later[i])) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Marks which items are replaced by later ones; called once the list is complete. */
    static void resolveReplacements(List<SelectItem> items) {
        for (int i = 0; i < items.size(); i++) {
            SelectItem item = items.get(i);
            List<SelectItem> after = items.subList(i + 1, items.size());
            if (item instanceof Named named) {
                named.replaced = after.stream().anyMatch(o -> o instanceof Named n && n.name.equals(named.name));
                named.beforeStar = after.stream().anyMatch(Star.class::isInstance);
            } else if (item instanceof Star star) {
                List<String> names = new ArrayList<>();
                after.forEach(o -> names.add(((Named) o).name));
                star.later = names.toArray(String[]::new);
                star.laterUtf8 = names.stream().map(n -> n.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
            }
        }
    }
}
