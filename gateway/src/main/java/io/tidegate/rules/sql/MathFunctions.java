package io.tidegate.rules.sql;

import java.math.RoundingMode;
import java.util.Map;

/**
 * abs, ceil, floor, round, sign, mod, power, sqrt. Numeric strings are converted to Decimal as
 * the standard conversions say; other argument types are Undefined.
 */
final class MathFunctions {

    private MathFunctions() {
    }

    static void register(Map<String, FunctionSpec> functions) {
        Functions.define(functions, "abs").with1((ctx, a) -> unary(ctx, a, Numbers::abs));
        Functions.define(functions, "ceil").with1((ctx, a) ->
                unary(ctx, a, n -> Numbers.round(n, RoundingMode.CEILING)));
        Functions.define(functions, "floor").with1((ctx, a) ->
                unary(ctx, a, n -> Numbers.round(n, RoundingMode.FLOOR)));
        // AWS: "equidistant ... rounded up", and Round(-1.5) = -2: half away from zero.
        Functions.define(functions, "round").with1((ctx, a) ->
                unary(ctx, a, n -> Numbers.round(n, RoundingMode.HALF_UP)));
        Functions.define(functions, "sign").with1((ctx, a) ->
                unary(ctx, a, n -> (long) Numbers.signum(n)));
        Functions.define(functions, "mod").with2(MathFunctions::mod);
        Functions.define(functions, "power").with2(MathFunctions::power);
        Functions.define(functions, "sqrt").with1((ctx, a) ->
                doublePrecision(ctx, a, Math::sqrt));
    }

    private interface NumberOperation {
        Number apply(Number n);
    }

    private interface DoubleOperation {
        double apply(double d);
    }

    private static Object unary(EvalContext ctx, Object argument, NumberOperation operation) {
        Number n = Values.toNumber(argument);
        return n == null ? ctx.unusable(argument) : operation.apply(n);
    }

    /** The "Decimal (with double precision)" functions: NaN and infinite results are Undefined. */
    private static Object doublePrecision(EvalContext ctx, Object argument, DoubleOperation operation) {
        Number n = Values.toNumber(argument);
        if (n == null) {
            return ctx.unusable(argument);
        }
        Number result = Numbers.fromDouble(operation.apply(Numbers.toDouble(n)));
        return result == null ? ctx.mismatch() : result;
    }

    /** Same as the {@code %} operator. */
    private static Object mod(EvalContext ctx, Object a, Object b) {
        Number x = Values.toNumber(a);
        if (x == null) {
            return ctx.unusable(a);
        }
        Number y = Values.toNumber(b);
        if (y == null) {
            return ctx.unusable(b);
        }
        Number result = Numbers.remainder(x, y);
        return result == null ? ctx.mismatch() : result;
    }

    private static Object power(EvalContext ctx, Object a, Object b) {
        Number x = Values.toNumber(a);
        if (x == null) {
            return ctx.unusable(a);
        }
        Number y = Values.toNumber(b);
        if (y == null) {
            return ctx.unusable(b);
        }
        Number result = Numbers.fromDouble(Math.pow(Numbers.toDouble(x), Numbers.toDouble(y)));
        return result == null ? ctx.mismatch() : result;
    }
}
