package io.tidegate.rules.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A built-in function: its name, the arities it takes and how a call is compiled. A wrong number
 * of arguments is reported when the SQL is parsed (AWS answers Undefined at run time; failing
 * early is kinder to whoever edits the rule).
 */
final class FunctionSpec {

    private final String name;
    private SqlFunction.Of0 of0;
    private SqlFunction.Of1 of1;
    private SqlFunction.Of2 of2;
    private SqlFunction.Of3 of3;
    private SqlFunction.OfN ofN;
    private int variadicMin = -1;
    private Function<List<Expr>, Expr> special;

    FunctionSpec(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    FunctionSpec with0(SqlFunction.Of0 body) {
        this.of0 = body;
        return this;
    }

    FunctionSpec with1(SqlFunction.Of1 body) {
        this.of1 = body;
        return this;
    }

    FunctionSpec with2(SqlFunction.Of2 body) {
        this.of2 = body;
        return this;
    }

    FunctionSpec with3(SqlFunction.Of3 body) {
        this.of3 = body;
        return this;
    }

    /** A body for {@code min} or more arguments. */
    FunctionSpec variadic(int min, SqlFunction.OfN body) {
        this.variadicMin = min;
        this.ofN = body;
        return this;
    }

    /** A compiler that may build a dedicated node (e.g. {@code encode(*, ...)}); returns null to fall back. */
    FunctionSpec special(Function<List<Expr>, Expr> compiler) {
        this.special = compiler;
        return this;
    }

    /** The call node, or {@code null} when this function does not take {@code args.size()} arguments. */
    Expr compile(List<Expr> args) {
        if (special != null) {
            Expr node = special.apply(args);
            if (node != null) {
                return node;
            }
        }
        int n = args.size();
        if (n == 0 && of0 != null) {
            return new Call.Of0(of0);
        }
        if (n == 1 && of1 != null) {
            return new Call.Of1(of1, args.get(0));
        }
        if (n == 2 && of2 != null) {
            return new Call.Of2(of2, args.get(0), args.get(1));
        }
        if (n == 3 && of3 != null) {
            return new Call.Of3(of3, args.get(0), args.get(1), args.get(2));
        }
        if (ofN != null && n >= variadicMin) {
            return new Call.OfN(ofN, args.toArray(Expr[]::new));
        }
        return null;
    }

    /** E.g. {@code 1 or 2 arguments}, for the parse error. */
    String arities() {
        if (ofN != null) {
            return variadicMin + " or more arguments";
        }
        List<String> counts = new ArrayList<>();
        if (of0 != null) {
            counts.add("0");
        }
        if (of1 != null) {
            counts.add("1");
        }
        if (of2 != null) {
            counts.add("2");
        }
        if (of3 != null) {
            counts.add("3");
        }
        String last = counts.get(counts.size() - 1);
        String joined = counts.size() == 1 ? last : String.join(", ", counts.subList(0, counts.size() - 1)) + " or " + last;
        return joined + (joined.equals("1") ? " argument" : " arguments");
    }
}
