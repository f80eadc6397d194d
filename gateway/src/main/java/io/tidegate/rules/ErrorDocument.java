package io.tidegate.rules;

import io.tidegate.rules.json.JsonOutput;
import io.tidegate.rules.sql.RuleInput;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The payload an error action receives, in the shape AWS IoT uses for its error action:
 * {@code {"ruleName", "topic", "clientId", "base64OriginalPayload", "failures": [{"failedAction",
 * "failedResource", "errorMessage"}]}}.
 */
final class ErrorDocument {

    private ErrorDocument() {
    }

    static void write(JsonOutput out, String ruleName, RuleInput message, List<CompiledAction> failed) {
        out.reset();
        out.write('{');
        field(out, "ruleName", ruleName).write(',');
        field(out, "topic", message.topic()).write(',');
        if (message.clientId() != null) {
            field(out, "clientId", message.clientId()).write(',');
        }
        ByteBuffer payload = Base64.getEncoder()
                .encode(ByteBuffer.wrap(message.payload(), message.payloadOffset(), message.payloadLength()));
        field(out, "base64OriginalPayload", StandardCharsets.ISO_8859_1.decode(payload).toString()).write(',');
        out.writeString("failures").write(':').write('[');
        for (int i = 0; i < failed.size(); i++) {
            CompiledAction action = failed.get(i);
            if (i > 0) {
                out.write(',');
            }
            out.write('{');
            field(out, "failedAction", action.label()).write(',');
            field(out, "failedResource", action.destination()).write(',');
            field(out, "errorMessage", action.failure());
            out.write('}');
        }
        out.write(']').write('}');
    }

    private static JsonOutput field(JsonOutput out, String name, String value) {
        return out.writeString(name).write(':').writeString(value);
    }
}
