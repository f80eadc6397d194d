package io.tidegate.forward.file;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PlainUtf8Test {

    @Test
    void wellFormedTextPasses() {
        assertThat(PlainUtf8.check(bytes("{\"a\":\"ü € 😀 \uFFFF\"}"))).isTrue();
        assertThat(PlainUtf8.check(new byte[0])).isTrue();
        assertThat(PlainUtf8.check(hex("7F C280 DFBF E0A080 EFBFBF F0908080 F48FBFBF ED9FBF EE8080"))).isTrue();
    }

    @Test
    void illFormedSequencesFail() {
        for (String bad : new String[] {"80", "BF", "C0AF", "C1BF", "C2", "C27F", "E080AF", "E09FBF", "EDA080",
                "EDBFBF", "E0A0", "F08F8080", "F4908080", "F5808080", "FF", "FE", "F0908080 80"}) {
            assertThat(PlainUtf8.check(hex(bad))).as(bad).isFalse();
        }
    }

    @Test
    void aByteOrderMarkOrANulFails() {
        assertThat(PlainUtf8.check(hex("EFBBBF 7B7D"))).isFalse();
        assertThat(PlainUtf8.check(hex("7B 00 7D"))).isFalse();
        assertThat(PlainUtf8.check("{\"a\":1}".getBytes(StandardCharsets.UTF_16LE))).isFalse();
    }

    @Test
    void agreesWithTheJdksStrictDecoderOnRandomBytes() {
        Random random = new Random(11);
        // Boundary bytes of every sequence class; no NUL and no BB, so no byte order mark.
        byte[] alphabet = hex("41 7F 80 8F 90 9F A0 BF C0 C2 DF E0 ED EF F0 F4 F5 FF");
        for (int n = 0; n < 200_000; n++) {
            byte[] bytes = new byte[1 + random.nextInt(6)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = alphabet[random.nextInt(alphabet.length)];
            }
            assertThat(PlainUtf8.check(bytes)).as("%s", java.util.HexFormat.of().formatHex(bytes))
                    .isEqualTo(decodesStrictly(bytes));
        }
    }

    private static boolean decodesStrictly(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hex(String spaced) {
        return java.util.HexFormat.of().parseHex(spaced.replace(" ", ""));
    }
}
