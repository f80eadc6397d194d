package io.tidegate.rules.sql;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Functions about the message rather than its payload: topic, clientid, timestamp, principal,
 * newuuid, and the MQTT 5 properties (get_mqtt_property, get_user_properties).
 */
final class MessageFunctions {

    private MessageFunctions() {
    }

    static void register(Map<String, FunctionSpec> functions) {
        Functions.define(functions, "topic")
                .with0(ctx -> ctx.input().topic())
                .with1(MessageFunctions::topicLevel);
        Functions.define(functions, "clientid").with0(ctx -> orUndefined(ctx.input().clientId()));
        // The gateway's ingest time: one value for every rule and template that sees the message.
        Functions.define(functions, "timestamp").with0(ctx -> ctx.input().timestampMillis());
        // The identity the client authenticated with (AWS IoT returns the certificate thumbprint).
        Functions.define(functions, "principal").with0(ctx -> orUndefined(ctx.input().principal()));
        Functions.define(functions, "newuuid").with0(ctx -> randomUuid().toString());
        Functions.define(functions, "get_mqtt_property").with1(MessageFunctions::mqttProperty);
        Functions.define(functions, "get_user_properties")
                .with0(MessageFunctions::userProperties)
                .with1(MessageFunctions::userPropertyValues);
    }

    private static Object orUndefined(String value) {
        return value == null ? Undefined.INSTANCE : value;
    }

    /** topic(n): level n, counting from 1; Undefined past the last level. */
    private static Object topicLevel(EvalContext ctx, Object n) {
        Number level = Values.toNumber(n);
        if (level == null) {
            return ctx.unusable(n);
        }
        return orUndefined(ctx.topicLevel(Numbers.clampToInt(level)));
    }

    /** A version 4 UUID; ThreadLocalRandom because SecureRandom would cost the hot path and ids need no secrecy. */
    private static UUID randomUuid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = random.nextLong() & 0xFFFFFFFFFFFF0FFFL | 0x0000000000004000L;
        long lsb = random.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    /**
     * get_mqtt_property(name) with AWS's names: {@code format_indicator} (UTF8_DATA or
     * UNSPECIFIED_BYTES), {@code content_type}, {@code response_topic}, {@code correlation_data}
     * (base64). An absent property is Undefined; an unknown name is a mismatch.
     */
    private static Object mqttProperty(EvalContext ctx, Object name) {
        Object key = Values.resolve(name);
        if (!(key instanceof String property)) {
            return ctx.unusable(name);
        }
        RuleInput in = ctx.input();
        return switch (property) {
            case "format_indicator" -> in.payloadFormatUtf8() ? "UTF8_DATA" : "UNSPECIFIED_BYTES";
            case "content_type" -> orUndefined(in.contentType());
            case "response_topic" -> orUndefined(in.responseTopic());
            case "correlation_data" -> in.correlationData() == null
                    ? Undefined.INSTANCE : Base64.getEncoder().encodeToString(in.correlationData());
            default -> ctx.mismatch();
        };
    }

    /** get_user_properties(): every user property as a one-member object, in order. */
    private static Object userProperties(EvalContext ctx) {
        List<Map.Entry<String, String>> properties = ctx.input().userProperties();
        List<Object> all = new ArrayList<>(properties.size());
        for (Map.Entry<String, String> property : properties) {
            all.add(Map.of(property.getKey(), property.getValue()));
        }
        return all;
    }

    /** get_user_properties(name): the values of every property with that name (names may repeat), or Undefined. */
    private static Object userPropertyValues(EvalContext ctx, Object name) {
        String key = Values.toText(name, ctx);
        if (key == null) {
            return ctx.unusable(name);
        }
        List<Object> values = new ArrayList<>();
        for (Map.Entry<String, String> property : ctx.input().userProperties()) {
            if (property.getKey().equals(key)) {
                values.add(property.getValue());
            }
        }
        return values.isEmpty() ? Undefined.INSTANCE : values;
    }
}
