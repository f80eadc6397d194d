package io.tidegate.loadgen.payload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tidegate.loadgen.scenario.ScenarioException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PayloadTemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] DEVICE = "device-7".getBytes(StandardCharsets.UTF_8);

    private static String render(PayloadTemplate template, long seq, long sentAtUs, long[] state) {
        ByteBuf out = Unpooled.buffer();
        try {
            template.render(out, DEVICE, seq, sentAtUs, state);
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            out.release();
        }
    }

    @Test
    void defaultTemplateRendersValidJsonWithDeviceSeqAndTimestamp() throws Exception {
        PayloadTemplate template = PayloadTemplate.parse("payloadTemplate", PayloadTemplate.DEFAULT, 0);
        JsonNode json = JSON.readTree(render(template, 42, 1_732_377_621_491_123L, template.newDeviceState()));

        assertThat(json.get("device").asText()).isEqualTo("device-7");
        assertThat(json.get("seq").asLong()).isEqualTo(42);
        assertThat(json.get("sentAtUs").asLong()).isEqualTo(1_732_377_621_491_123L);
        assertThat(json.get("temperature").isNumber()).isTrue();
        assertThat(json.get("humidity").isNumber()).isTrue();
    }

    @Test
    void everyPlaceholderIsSubstituted() {
        PayloadTemplate template = PayloadTemplate.parse("t", "{device}|{seq}|{sentAtMs}|{sentAtUs}", 0);

        assertThat(render(template, 5, 1_000_000_123L, null)).isEqualTo("device-7|5|1000000|1000000123");
    }

    @Test
    void randomWalkMovesAtMostOneStepPerMessageAndKeepsState() throws Exception {
        PayloadTemplate template = PayloadTemplate.parse("t", "{\"v\":{walk:10.0:0.5}}", 0);
        long[] state = template.newDeviceState();
        double previous = 10.0;
        for (int i = 1; i <= 200; i++) {
            double value = JSON.readTree(render(template, i, 0, state)).get("v").asDouble();
            assertThat(Math.abs(value - previous)).isLessThanOrEqualTo(0.5 + 1e-9);
            previous = value;
        }
        assertThat(state[0]).isEqualTo(Math.round(previous * 100));
    }

    @Test
    void negativeWalkValuesAreValidJsonNumbers() throws Exception {
        PayloadTemplate template = PayloadTemplate.parse("t", "{\"v\":{walk:-0.05:0}}", 0);

        assertThat(JSON.readTree(render(template, 1, 0, template.newDeviceState())).get("v").asDouble()).isEqualTo(-0.05);
    }

    @Test
    void paddingMakesEveryPayloadExactlyTheTargetSize() throws Exception {
        PayloadTemplate template = PayloadTemplate.parse("payloadTemplate", PayloadTemplate.MINIMAL, 200);
        for (long seq : new long[] {1, 9, 10, 99_999, 123_456_789}) {
            String payload = render(template, seq, 1_732_377_621_491_123L, null);
            assertThat(payload.getBytes(StandardCharsets.UTF_8)).hasSize(200);
            JsonNode json = JSON.readTree(payload);
            assertThat(json.get("seq").asLong()).isEqualTo(seq);
            assertThat(json.get("pad").asText()).matches("x+");
        }
    }

    @Test
    void aTargetBelowTheRenderedSizeLeavesThePayloadUnpadded() throws Exception {
        PayloadTemplate template = PayloadTemplate.parse("t", PayloadTemplate.MINIMAL, 10);
        String payload = render(template, 1, 1, null);

        assertThat(JSON.readTree(payload).has("pad")).isFalse();
    }

    @Test
    void aTargetWithTooLittleRoomForAFieldPadsWithWhitespace() throws Exception {
        PayloadTemplate template = PayloadTemplate.parse("t", "{\"seq\":{seq}}", 13);
        String payload = render(template, 1, 0, null);

        assertThat(payload).hasSize(13);
        assertThat(JSON.readTree(payload).get("seq").asInt()).isEqualTo(1);
    }

    @Test
    void unknownPlaceholdersAreRefusedByName() {
        assertThatThrownBy(() -> PayloadTemplate.parse("payloadTemplate", "{\"a\":{sequence}}", 0))
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining("payloadTemplate").hasMessageContaining("{sequence}");
    }

    @Test
    void paddingNeedsAJsonObject() {
        assertThatThrownBy(() -> PayloadTemplate.parse("payloadTemplate", "plain {seq}", 100))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("JSON object");
    }

    @Test
    void subscribersFindTheSendTimeInARenderedPayload() {
        PayloadTemplate template = PayloadTemplate.parse("t", PayloadTemplate.DEFAULT, 0);
        ByteBuf out = Unpooled.buffer();
        try {
            template.render(out, DEVICE, 3, 1_732_377_621_491_123L, template.newDeviceState());
            assertThat(SentTimestamps.find(out)).isEqualTo(1_732_377_621_491_123L);
        } finally {
            out.release();
        }
        ByteBuf other = Unpooled.copiedBuffer("{\"temperature\":1}", StandardCharsets.UTF_8);
        assertThat(SentTimestamps.find(other)).isEqualTo(-1);
        other.release();
    }

    @Test
    void numbersAreWrittenAsAsciiDigits() {
        ByteBuf out = Unpooled.buffer();
        for (long v : new long[] {0, 7, 10, -1, 1234567890123L, Long.MAX_VALUE, Long.MIN_VALUE}) {
            out.clear();
            AsciiNumbers.writeLong(out, v);
            assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(Long.toString(v));
        }
        out.clear();
        AsciiNumbers.writeHundredths(out, 2105);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("21.05");
        out.release();
    }
}
