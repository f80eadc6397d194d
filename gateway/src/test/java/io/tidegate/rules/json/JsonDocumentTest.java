package io.tidegate.rules.json;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class JsonDocumentTest {

    private final JsonDocument doc = new JsonDocument();

    private boolean parse(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return doc.parse(bytes, 0, bytes.length);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"{}", "[]", "0", "-0", "1.5e-3", "1E+10", "\"\"", "true", "false", "null", " {\"a\" : [1, {\"b\": null}]} ",
            "\"\\u00e9\\n\\\"\\/\"", "\"\\ud83d\\ude00\"", "\"é😀\"", "\uFEFF{}", "[[[[]]]]", "{\"a\":1,\"a\":2}"})
    @DisplayName("RFC 8259 documents are accepted")
    void valid(String json) {
        assertThat(parse(json)).isTrue();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"", " ", "{", "}", "[1,]", "{\"a\":1,}", "{a:1}", "{'a':1}", "01", "1.", ".5", "-", "1e", "+1",
            "tru", "nul", "True", "NaN", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud83d\"", "\"\\ude00\"", "\"a\u0001b\"",
            "{} {}", "[1 2]", "{\"a\" 1}", "/* c */ {}"})
    @DisplayName("anything else is refused")
    void invalid(String json) {
        assertThat(parse(json)).isFalse();
        assertThat(doc.isValid()).isFalse();
    }

    @Test
    @DisplayName("malformed UTF-8 is refused: stray continuation, overlong, surrogate, truncated, above U+10FFFF")
    void invalidUtf8() {
        byte[][] cases = {
            {'"', (byte) 0x80, '"'},
            {'"', (byte) 0xC0, (byte) 0xAF, '"'},
            {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'},
            {'"', (byte) 0xE2, (byte) 0x82, '"'},
            {'"', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"'},
        };
        for (byte[] bytes : cases) {
            assertThat(doc.parse(bytes, 0, bytes.length)).isFalse();
        }
    }

    @Test
    @DisplayName("nesting deeper than MAX_DEPTH is refused rather than overflowing the stack")
    void depthLimit() {
        int depth = JsonDocument.MAX_DEPTH;
        assertThat(parse("[".repeat(depth) + "]".repeat(depth))).isTrue();
        assertThat(parse("[".repeat(depth + 1) + "]".repeat(depth + 1))).isFalse();
        assertThat(parse("[".repeat(100_000))).isFalse();
    }

    @Test
    @DisplayName("members, elements and text are found without decoding the rest")
    void navigation() {
        assertThat(parse("{\"a\": {\"b\": [10, \"x\\\"y\", true]}, \"é\": 1, \"k\\u0065y\": 2}")).isTrue();
        int root = doc.root();
        int a = doc.member(root, utf8("a"), "a");
        int b = doc.member(a, utf8("b"), "b");

        assertThat(doc.type(b)).isEqualTo(JsonDocument.ARRAY);
        assertThat(doc.count(b)).isEqualTo(3);
        assertThat(doc.type(doc.element(b, 0))).isEqualTo(JsonDocument.NUMBER);
        assertThat(doc.text(doc.element(b, 1))).isEqualTo("x\"y");
        assertThat(doc.type(doc.element(b, 2))).isEqualTo(JsonDocument.TRUE);
        assertThat(doc.element(b, 3)).isEqualTo(-1);
        assertThat(doc.member(root, utf8("é"), "é")).isPositive();
        assertThat(doc.member(root, utf8("key"), "key")).as("escaped key").isPositive();
        assertThat(doc.member(root, utf8("zz"), "zz")).isEqualTo(-1);
        assertThat(doc.member(b, utf8("a"), "a")).as("array has no members").isEqualTo(-1);
    }

    @Test
    @DisplayName("a reused document forgets the previous one")
    void reuse() {
        assertThat(parse("{\"a\": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], \"b\": 1}")).isTrue();
        assertThat(parse("{\"b\": 2}")).isTrue();
        assertThat(doc.member(doc.root(), utf8("a"), "a")).isEqualTo(-1);
        int b = doc.member(doc.root(), utf8("b"), "b");
        assertThat(new String(doc.buffer(), doc.start(b), doc.end(b) - doc.start(b), StandardCharsets.UTF_8)).isEqualTo("2");
        assertThat(parse("not json")).isFalse();
        assertThat(parse("[" + "1,".repeat(10_000) + "1]")).as("grows").isTrue();
        assertThat(doc.count(doc.root())).isEqualTo(10_001);
    }

    @Test
    @DisplayName("fastDouble is exact up to 15 significant digits and declines beyond")
    void fastDouble() {
        assertThat(fast("21.5")).isEqualTo(21.5);
        assertThat(fast("-0.0001")).isEqualTo(-0.0001);
        assertThat(fast("1e3")).isEqualTo(1000.0);
        assertThat(fast("1.5E-7")).isEqualTo(1.5e-7);
        assertThat(fast("123456789012345")).isEqualTo(123456789012345.0);
        assertThat(fast("1234567890123456")).isNaN();
        assertThat(fast("1e400")).isNaN();
        assertThat(fast("0.000")).isZero();
    }

    private static double fast(String number) {
        byte[] bytes = utf8(number);
        return JsonNumbers.fastDouble(bytes, 0, bytes.length);
    }
}
