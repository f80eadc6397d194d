package io.tidegate.rules.sql;

/** Function call nodes, one per arity: arguments are evaluated, then passed to the body. */
final class Call {

    private Call() {
    }

    static final class Of0 extends Expr {
        private final SqlFunction.Of0 body;

        Of0(SqlFunction.Of0 body) {
            this.body = body;
        }

        @Override
        Object eval(EvalContext ctx) {
            return body.apply(ctx);
        }
    }

    static final class Of1 extends Expr {
        private final SqlFunction.Of1 body;
        private final Expr a;

        Of1(SqlFunction.Of1 body, Expr a) {
            this.body = body;
            this.a = a;
        }

        @Override
        Object eval(EvalContext ctx) {
            return body.apply(ctx, a.eval(ctx));
        }
    }

    static final class Of2 extends Expr {
        private final SqlFunction.Of2 body;
        private final Expr a;
        private final Expr b;

        Of2(SqlFunction.Of2 body, Expr a, Expr b) {
            this.body = body;
            this.a = a;
            this.b = b;
        }

        @Override
        Object eval(EvalContext ctx) {
            return body.apply(ctx, a.eval(ctx), b.eval(ctx));
        }
    }

    static final class Of3 extends Expr {
        private final SqlFunction.Of3 body;
        private final Expr a;
        private final Expr b;
        private final Expr c;

        Of3(SqlFunction.Of3 body, Expr a, Expr b, Expr c) {
            this.body = body;
            this.a = a;
            this.b = b;
            this.c = c;
        }

        @Override
        Object eval(EvalContext ctx) {
            return body.apply(ctx, a.eval(ctx), b.eval(ctx), c.eval(ctx));
        }
    }

    static final class OfN extends Expr {
        private final SqlFunction.OfN body;
        private final Expr[] args;

        OfN(SqlFunction.OfN body, Expr[] args) {
            this.body = body;
            this.args = args;
        }

        @Override
        Object eval(EvalContext ctx) {
            Object[] values = new Object[args.length];
            for (int i = 0; i < args.length; i++) {
                values[i] = args[i].eval(ctx);
            }
            return body.apply(ctx, values);
        }
    }
}
