package io.tidegate.rules.sql;

import io.tidegate.rules.json.JsonDocument;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One step of a path: {@code .name} into an object or {@code [index]} into an array. A step into
 * anything else, or past the end, is Undefined (like a missing field, not a type error).
 */
abstract class PathStep {

    abstract Object apply(EvalContext ctx, Object value);

    /** {@code .name}; also the first step of a bare field name. */
    static final class Member extends PathStep {

        private final String name;
        private final byte[] utf8;

        Member(String name) {
            this.name = name;
            this.utf8 = name.getBytes(StandardCharsets.UTF_8);
        }

        String name() {
            return name;
        }

        @Override
        Object apply(EvalContext ctx, Object value) {
            if (value instanceof JsonRef ref) {
                if (ref.type() != JsonDocument.OBJECT) {
                    return Undefined.INSTANCE;
                }
                int node = ref.document.member(ref.node, utf8, name);
                return node < 0 ? Undefined.INSTANCE : ctx.ref(node);
            }
            if (value instanceof Map<?, ?> map) {
                Object member = map.get(name);
                return member == null ? Undefined.INSTANCE : member;
            }
            return Undefined.INSTANCE;
        }
    }

    /** {@code [expression]}: the expression converted to an Int. */
    static final class Index extends PathStep {

        private final Expr index;

        Index(Expr index) {
            this.index = index;
        }

        @Override
        Object apply(EvalContext ctx, Object value) {
            Object position = index.eval(ctx);
            Number number = Values.toNumber(position);
            if (number == null) {
                return ctx.unusable(position);
            }
            int i = Numbers.clampToInt(number);
            if (value instanceof JsonRef ref) {
                if (ref.type() != JsonDocument.ARRAY) {
                    return Undefined.INSTANCE;
                }
                int node = ref.document.element(ref.node, i);
                return node < 0 ? Undefined.INSTANCE : ctx.ref(node);
            }
            if (value instanceof List<?> list) {
                return i >= 0 && i < list.size() ? list.get(i) : Undefined.INSTANCE;
            }
            return Undefined.INSTANCE;
        }
    }
}
