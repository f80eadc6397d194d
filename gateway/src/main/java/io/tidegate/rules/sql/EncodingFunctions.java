package io.tidegate.rules.sql;

import io.tidegate.rules.json.JsonDocument;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * encode(value, 'base64') and decode(value, 'base64'). {@code encode(*, 'base64')} encodes the
 * payload's bytes whatever they are, which is how binary payloads travel inside JSON.
 */
final class EncodingFunctions {

    private static final String BASE64 = "base64";

    private EncodingFunctions() {
    }

    static void register(Map<String, FunctionSpec> functions) {
        Functions.define(functions, "encode")
                .special(EncodingFunctions::encodePayload)
                .with2(EncodingFunctions::encode);
        Functions.define(functions, "decode").with2(EncodingFunctions::decode);
    }

    private static Expr encodePayload(List<Expr> args) {
        return args.size() == 2 && args.get(0) == StarArgument.INSTANCE ? new EncodedPayload(args.get(1)) : null;
    }

    private static Object encode(EvalContext ctx, Object value, Object scheme) {
        if (!isBase64(scheme)) {
            return ctx.unusable(scheme);
        }
        String text = Values.toText(value, ctx);
        if (text == null) {
            return ctx.unusable(value);
        }
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON document decodes to its value, other bytes to a string; undecodable input is Null (AWS). */
    private static Object decode(EvalContext ctx, Object value, Object scheme) {
        if (!isBase64(scheme)) {
            return ctx.unusable(scheme);
        }
        String text = Values.toText(value, ctx);
        if (text == null) {
            return ctx.unusable(value);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return Null.INSTANCE;
        }
        JsonDocument document = new JsonDocument();
        if (document.parse(bytes, 0, bytes.length)) {
            return Values.materialize(new JsonRef(document, document.root()));
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static boolean isBase64(Object scheme) {
        return Values.resolve(scheme) instanceof String name && name.equalsIgnoreCase(BASE64);
    }

    /** encode(*, scheme): the raw payload in base64. */
    static final class EncodedPayload extends Expr {

        private final Expr scheme;

        EncodedPayload(Expr scheme) {
            this.scheme = scheme;
        }

        @Override
        Object eval(EvalContext ctx) {
            Object name = scheme.eval(ctx);
            if (!isBase64(name)) {
                return ctx.unusable(name);
            }
            RuleInput in = ctx.input();
            ByteBuffer payload = ByteBuffer.wrap(in.payload(), in.payloadOffset(), in.payloadLength());
            ByteBuffer encoded = Base64.getEncoder().encode(payload);
            return new String(encoded.array(), encoded.arrayOffset() + encoded.position(), encoded.remaining(),
                    StandardCharsets.ISO_8859_1);
        }
    }
}
