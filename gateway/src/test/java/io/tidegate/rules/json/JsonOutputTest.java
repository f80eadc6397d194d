package io.tidegate.rules.json;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonOutputTest {

    @Test
    void writesEscapedStringsAndNumbers() {
        JsonOutput out = new JsonOutput(4);
        out.writeString("a\"b\\c\n\t\u0001é😀\ud800").write(',').writeLong(Long.MIN_VALUE).write(',').writeLong(-42)
                .write(',').writeLong(0);

        assertThat(out.toString()).isEqualTo("\"a\\\"b\\\\c\\n\\t\\u0001é😀\\ud800\",-9223372036854775808,-42,0");
        out.reset();
        assertThat(out.length()).isZero();
    }
}
