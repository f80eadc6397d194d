package io.tidegate.cli;

import io.tidegate.mqtt.topic.TopicProblem;
import io.tidegate.mqtt.topic.Topics;
import io.tidegate.rules.json.JsonDocument;
import io.tidegate.rules.json.JsonOutput;
import io.tidegate.rules.sql.ParseException;
import io.tidegate.rules.sql.RuleMessage;
import io.tidegate.rules.sql.SqlStatement;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code tidegate rules eval}: runs one SQL statement on one message and prints exactly one JSON
 * document: {@code {"matched":true,"output":<result>}} or {@code {"matched":false}}. A result that
 * is not JSON (a binary payload passed through) is printed as a JSON string when it is UTF-8 text,
 * else base64-encoded as {@code "outputBase64"}.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a rule's SQL against one message and print the result as JSON.")
final class RulesEvalCommand implements Callable<Integer> {

    private static final int INVALID_INPUT = 2;

    @Option(names = "--sql", required = true, paramLabel = "SQL", description = "AWS IoT SQL, e.g. \"SELECT * FROM 'dt/#'\"")
    String sql;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The topic the message is published to")
    String topic;

    @Option(names = "--client-id", paramLabel = "ID", description = "What clientid() returns (default: Undefined)")
    String clientId;

    @Option(names = "--principal", paramLabel = "IDENTITY", description = "What principal() returns (default: Undefined)")
    String principal;

    @ArgGroup(exclusive = true)
    PayloadSource payloadSource;

    @Option(names = "--property", paramLabel = "NAME=VALUE",
            description = "An MQTT 5 property: content_type, format_indicator (UTF8_DATA, UNSPECIFIED_BYTES),"
                    + " response_topic, correlation_data (as text); any other name is a user property. Repeatable.")
    List<String> properties = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static final class PayloadSource {
        @Option(names = "--payload", paramLabel = "JSON", description = "The payload (default: empty)")
        String text;

        @Option(names = "--payload-file", paramLabel = "FILE", description = "Read the payload from a file")
        Path file;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            SqlStatement statement = parse(err);
            if (statement == null) {
                return INVALID_INPUT;
            }
            TopicProblem problem = Topics.validateTopicName(topic);
            if (problem != null) {
                return fail(err, "invalid --topic " + topic + ": " + problem);
            }
            RuleMessage message = message();
            Optional<byte[]> result = statement.evaluate(message);
            out.println(result.map(RulesEvalCommand::matched).orElse("{\"matched\":false}"));
            out.flush();
            return 0;
        } catch (InvalidInput e) {
            return fail(err, e.getMessage());
        }
    }

    private SqlStatement parse(PrintWriter err) {
        try {
            return SqlStatement.parse(sql);
        } catch (ParseException e) {
            err.println("tidegate rules eval: invalid SQL: " + e.getMessage());
            err.println(SourcePointer.show(sql, e.line(), e.column()));
            err.flush();
            return null;
        }
    }

    private RuleMessage message() {
        boolean utf8 = false;
        String contentType = null;
        String responseTopic = null;
        byte[] correlation = null;
        List<Map.Entry<String, String>> user = new ArrayList<>();
        for (String property : properties) {
            int equals = property.indexOf('=');
            if (equals <= 0) {
                throw new InvalidInput("invalid --property " + property + "; expected NAME=VALUE");
            }
            String name = property.substring(0, equals);
            String value = property.substring(equals + 1);
            switch (name) {
                case "content_type" -> contentType = value;
                case "response_topic" -> responseTopic = value;
                case "correlation_data" -> correlation = value.getBytes(StandardCharsets.UTF_8);
                case "format_indicator" -> utf8 = formatIndicator(value);
                default -> user.add(new AbstractMap.SimpleImmutableEntry<>(name, value));
            }
        }
        return new RuleMessage(topic, clientId, principal, System.currentTimeMillis(), 0, payload(), utf8, contentType,
                responseTopic, correlation, user);
    }

    private static boolean formatIndicator(String value) {
        return switch (value) {
            case "UTF8_DATA", "1" -> true;
            case "UNSPECIFIED_BYTES", "0" -> false;
            default -> throw new InvalidInput("invalid format_indicator " + value
                    + "; expected UTF8_DATA or UNSPECIFIED_BYTES");
        };
    }

    private byte[] payload() {
        if (payloadSource == null) {
            return new byte[0];
        }
        if (payloadSource.text != null) {
            return payloadSource.text.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Files.readAllBytes(payloadSource.file);
        } catch (IOException e) {
            throw new InvalidInput("cannot read --payload-file " + payloadSource.file + ": " + e.getMessage());
        }
    }

    private static String matched(byte[] result) {
        if (new JsonDocument().parse(result, 0, result.length)) {
            return "{\"matched\":true,\"output\":" + new String(result, StandardCharsets.UTF_8) + "}";
        }
        JsonOutput json = new JsonOutput();
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(result)).toString();
            json.writeAscii("{\"matched\":true,\"output\":").writeString(text).write('}');
        } catch (CharacterCodingException binary) {
            json.writeAscii("{\"matched\":true,\"outputBase64\":").writeString(Base64.getEncoder().encodeToString(result))
                    .write('}');
        }
        return json.toString();
    }

    private static int fail(PrintWriter err, String message) {
        err.println("tidegate rules eval: " + message);
        err.flush();
        return INVALID_INPUT;
    }

    /** Bad command-line input found after parsing the options. */
    private static final class InvalidInput extends RuntimeException {
        InvalidInput(String message) {
            super(message);
        }
    }
}
