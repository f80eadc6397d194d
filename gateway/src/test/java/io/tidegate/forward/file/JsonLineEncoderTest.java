package io.tidegate.forward.file;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.outbox.MessageProperties;
import io.tidegate.outbox.OutboxEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class JsonLineEncoderTest {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final UUID ID = UUID.fromString("0190a1b2-c3d4-7e5f-8a6b-1c2d3e4f5a6b");

    private final JsonLineEncoder encoder = new JsonLineEncoder();

    @Test
    void oneObjectALineWithTheMessageFields() throws IOException {
        OutboxEntry entry = entry("{\"t\":21.5}".getBytes(StandardCharsets.UTF_8), MessageProperties.NONE);

        JsonNode line = single(encode(entry));

        assertThat(line.get("id").asText()).isEqualTo(ID.toString());
        assertThat(line.get("ts").asText()).isEqualTo("2024-06-01T12:00:00.123Z");
        assertThat(line.get("clientId").asText()).isEqualTo("sensor-1");
        assertThat(line.get("topic").asText()).isEqualTo("plant/1/temp");
        assertThat(line.get("qos").asInt()).isEqualTo(1);
        assertThat(line.has("retain")).isFalse();
        assertThat(line.has("properties")).isFalse();
        assertThat(line.get("payload").get("t").decimalValue()).isEqualByComparingTo("21.5");
        assertThat(line.has("payloadBase64")).isFalse();
    }

    @Test
    void retainIsWrittenWhenSet() throws IOException {
        OutboxEntry retained = new OutboxEntry(1, ID, 0, "c", "t", 0, true, MessageProperties.NONE, new byte[0], 0);

        assertThat(single(encode(retained)).get("retain").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":{\"b\":[1,2,{\"c\":null}]}}", "[1,\"two\",3.0,false]", "42", "-1.5e-300",
            "123456789012345678901234567890", "\"just a string\"", "true", "null", "{}", "[]",
            "  {\"padded\" : true }  ", "{\"emoji\":\"\\ud83d\\ude00 😀\",\"esc\":\"\\\"\\n\"}"})
    void jsonPayloadsAreEmbeddedAsTheyAre(String json) throws IOException {
        String text = encode(entry(json.getBytes(StandardCharsets.UTF_8), MessageProperties.NONE));

        JsonNode line = single(text);
        assertThat(line.has("payloadBase64")).isFalse();
        assertThat(line.get("payload")).isEqualTo(MAPPER.readTree(json));
        assertThat(text).contains("\"payload\":" + json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"123 456", "{\"a\":1", "{\"a\":1}}", "{\"a\":1}{\"b\":2}", "{'single':1}",
            "{\"dup\":1,\"dup\":2}", "NaN", "01", "[1,]", "// comment\n1", "hello", "   "})
    void otherTextIsBase64(String notJson) throws IOException {
        byte[] payload = notJson.getBytes(StandardCharsets.UTF_8);

        JsonNode line = single(encode(entry(payload, MessageProperties.NONE)));

        assertThat(line.has("payload")).isFalse();
        assertThat(Base64.getDecoder().decode(line.get("payloadBase64").asText())).isEqualTo(payload);
    }

    @Test
    void binaryAndEmptyPayloadsAreBase64() throws IOException {
        byte[] binary = {0, 1, 2, (byte) 0xFF, (byte) 0xFE, '{', '\n', 0x7F};

        assertThat(Base64.getDecoder().decode(single(encode(entry(binary, MessageProperties.NONE)))
                .get("payloadBase64").asText())).isEqualTo(binary);
        assertThat(single(encode(entry(new byte[0], MessageProperties.NONE))).get("payloadBase64").asText())
                .isEmpty();
    }

    @Test
    void jsonThatIsNotPlainUtf8KeepsItsBytesAsBase64() throws IOException {
        byte[] bom = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        byte[] utf16 = "{\"a\":1}".getBytes(StandardCharsets.UTF_16LE);
        byte[] badUtf8 = {'"', 'a', (byte) 0xFF, 'b', '"'};

        for (byte[] payload : List.of(bom, utf16, badUtf8)) {
            JsonNode line = single(encode(entry(payload, MessageProperties.NONE)));

            assertThat(line.has("payload")).as("%s", line).isFalse();
            assertThat(Base64.getDecoder().decode(line.get("payloadBase64").asText())).isEqualTo(payload);
        }
    }

    @Test
    void multiLineJsonStaysOnOneLineWithItsValues() throws IOException {
        String json = "{\r\n  \"v\": 0.1000000000000000055511151231257827,\n  \"big\": 12345678901234567890123,\n"
                + "  \"s\": \"x\",\n  \"list\": [\n    1.50,\n    2\n  ]\n}\n";

        String text = encode(entry(json.getBytes(StandardCharsets.UTF_8), MessageProperties.NONE));

        assertThat(text).hasLineCount(1).endsWith("\n");
        JsonNode payload = single(text).get("payload");
        assertThat(payload.get("v").decimalValue()).isEqualTo(new BigDecimal("0.1000000000000000055511151231257827"));
        assertThat(payload.get("big").bigIntegerValue()).hasToString("12345678901234567890123");
        assertThat(payload.get("list").get(0).decimalValue()).isEqualByComparingTo("1.5");
        assertThat(payload.get("s").asText()).isEqualTo("x");
        assertThat(text).as("numbers as written").contains("0.1000000000000000055511151231257827", "1.50");
    }

    @Test
    void propertiesAreRendered() throws IOException {
        MessageProperties props = new MessageProperties(true, 0L, "application/json", "reply/here",
                new byte[] {1, 2, 3}, List.of(Map.entry("b", "2"), Map.entry("a", "1"), Map.entry("b", "3")));

        JsonNode p = single(encode(entry("1".getBytes(StandardCharsets.UTF_8), props))).get("properties");

        assertThat(p.get("payloadFormatIndicator").asInt()).isEqualTo(1);
        assertThat(p.get("messageExpiryInterval").asLong()).as("expiry 0 is written").isZero();
        assertThat(p.get("contentType").asText()).isEqualTo("application/json");
        assertThat(p.get("responseTopic").asText()).isEqualTo("reply/here");
        assertThat(Base64.getDecoder().decode(p.get("correlationDataBase64").asText())).containsExactly(1, 2, 3);
        assertThat(p.get("userProperties").toString()).isEqualTo("[[\"b\",\"2\"],[\"a\",\"1\"],[\"b\",\"3\"]]");
    }

    @Test
    void absentPropertiesAreLeftOut() throws IOException {
        MessageProperties onlyType = new MessageProperties(false, null, "text/plain", null, null, List.of());

        JsonNode p = single(encode(entry("1".getBytes(StandardCharsets.UTF_8), onlyType))).get("properties");

        assertThat(p.fieldNames()).toIterable().containsExactly("contentType");
    }

    @Test
    void awkwardStringsAreEscapedAndStayOnTheLine() throws IOException {
        OutboxEntry entry = new OutboxEntry(1, ID, 0, "id \"quoted\"\n\u2028", "a/\u0000/ü/\uD83D\uDE00", 2, false,
                MessageProperties.NONE, new byte[] {1}, 0);

        String text = encode(entry);

        assertThat(text).hasLineCount(1);
        JsonNode line = single(text);
        assertThat(line.get("clientId").asText()).isEqualTo("id \"quoted\"\n\u2028");
        assertThat(line.get("topic").asText()).isEqualTo("a/\u0000/ü/\uD83D\uDE00");
    }

    @Test
    void aBatchIsOneLinePerEntryInOrder() throws IOException {
        List<OutboxEntry> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            byte[] payload = (i % 2 == 0 ? "{\"i\":" + i + "}" : "not json " + i).getBytes(StandardCharsets.UTF_8);
            batch.add(new OutboxEntry(i, new UUID(0, i), i, "c", "t/" + i, 1, false, MessageProperties.NONE,
                    payload, 0));
        }

        String text = decode(encoder.encode(batch));

        List<JsonNode> lines = parseLines(text);
        assertThat(lines).hasSize(50);
        for (int i = 0; i < 50; i++) {
            assertThat(lines.get(i).get("topic").asText()).isEqualTo("t/" + i);
        }
        assertThat(lines.get(4).get("payload").get("i").asInt()).isEqualTo(4);
        assertThat(lines.get(5).get("payloadBase64")).isNotNull();
        assertThat(encoder.encode(List.of()).remaining()).isZero();
    }

    @Test
    void aPayloadLargerThanTheGeneratorsBufferIsEmbeddedOnOneLine() throws IOException {
        StringBuilder json = new StringBuilder("{\n");
        for (int i = 0; i < 2_000; i++) {
            json.append("  \"k").append(i).append("\": \"v\",\r\n");
        }
        json.append("  \"last\": [1,\n2]\n}");
        byte[] payload = json.toString().getBytes(StandardCharsets.UTF_8);
        assertThat(payload.length).as("past Jackson's 8,000-byte output buffer").isGreaterThan(30_000);

        String text = encode(entry(payload, MessageProperties.NONE));

        assertThat(text).hasLineCount(1);
        JsonNode line = single(text);
        assertThat(line.get("payload")).isEqualTo(MAPPER.readTree(payload));
        assertThat(line.get("payload").size()).isEqualTo(2_001);
    }

    @Test
    void idAndTimeAreWrittenAsUuidAndInstantWriteThem() throws IOException {
        java.util.Random random = new java.util.Random(7);
        long[] millis = {0, 1, 999, 1000, -1, -1001, 1_717_243_200_000L, 1_717_243_200_100L,
                253_402_300_799_999L, 253_402_300_800_000L, -62_167_219_200_000L, -62_167_219_200_001L};
        List<OutboxEntry> batch = new ArrayList<>();
        for (long ms : millis) {
            batch.add(new OutboxEntry(0, new UUID(random.nextLong(), random.nextLong()), ms, "c", "t", 0, false,
                    MessageProperties.NONE, new byte[0], 0));
        }
        for (int i = 0; i < 2_000; i++) {
            long ms = i < 1_000 ? 1_717_243_200_000L + i * 7L : random.nextLong() % 300_000_000_000_000L;
            batch.add(new OutboxEntry(0, new UUID(random.nextLong(), random.nextLong()), ms, "c", "t", 0, false,
                    MessageProperties.NONE, new byte[0], 0));
        }

        List<JsonNode> lines = parseLines(decode(encoder.encode(batch)));

        for (int i = 0; i < batch.size(); i++) {
            OutboxEntry entry = batch.get(i);
            assertThat(lines.get(i).get("id").asText()).isEqualTo(entry.messageId().toString());
            assertThat(lines.get(i).get("ts").asText()).as("%d ms", entry.ingestTimeMillis())
                    .isEqualTo(java.time.Instant.ofEpochMilli(entry.ingestTimeMillis()).toString());
        }
    }

    // ---- helpers ----

    private static OutboxEntry entry(byte[] payload, MessageProperties props) {
        return new OutboxEntry(9, ID, 1_717_243_200_123L, "sensor-1", "plant/1/temp", 1, false, props, payload, 0);
    }

    private String encode(OutboxEntry entry) {
        return decode(encoder.encode(List.of(entry)));
    }

    private static String decode(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static JsonNode single(String text) throws IOException {
        List<JsonNode> lines = parseLines(text);
        assertThat(lines).hasSize(1);
        return lines.get(0);
    }

    /** Parses newline-delimited JSON strictly: every line one object, the text ends with a newline. */
    static List<JsonNode> parseLines(String text) throws IOException {
        if (text.isEmpty()) {
            return List.of();
        }
        assertThat(text).endsWith("\n");
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : text.substring(0, text.length() - 1).split("\n", -1)) {
            assertThat(line).doesNotContain("\r");
            JsonNode node = MAPPER.readTree(line);
            assertThat(node.isObject()).as(line).isTrue();
            nodes.add(node);
        }
        return nodes;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
