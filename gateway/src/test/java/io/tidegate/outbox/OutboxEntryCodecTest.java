package io.tidegate.outbox;

import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutboxEntryCodecTest {

    private static final UUID ID = UUID.fromString("0190a1b2-c3d4-7e5f-8a6b-1c2d3e4f5a6b");

    private final Bytes<?> bytes = Bytes.allocateElasticOnHeap();

    @AfterEach
    void release() {
        bytes.releaseLast();
    }

    @Test
    void roundTripsEveryField() {
        MessageProperties props = new MessageProperties(true, 3600L, "application/json", "reply/to/me",
                new byte[] {0, 1, 2, (byte) 0xFF},
                List.of(Map.entry("z", "last-name-first"), Map.entry("a", "1"), Map.entry("a", "2"),
                        Map.entry("ünïcödé", "värde ✓")));
        byte[] payload = "{\"t\":21.5}".getBytes(StandardCharsets.UTF_8);

        OutboxEntry entry = roundTrip(42, ID, 1_700_000_000_123L, "device-7", "plant/1/temp", 2, true, props,
                payload);

        assertThat(entry.index()).isEqualTo(42);
        assertThat(entry.messageId()).isEqualTo(ID);
        assertThat(entry.ingestTimeMillis()).isEqualTo(1_700_000_000_123L);
        assertThat(entry.clientId()).isEqualTo("device-7");
        assertThat(entry.topic()).isEqualTo("plant/1/temp");
        assertThat(entry.qos()).isEqualTo(2);
        assertThat(entry.retain()).isTrue();
        assertThat(entry.payload()).isEqualTo(payload);
        assertThat(entry.encodedBytes()).isEqualTo(bytes.writePosition());
        MessageProperties read = entry.properties();
        assertThat(read.payloadFormatUtf8()).isTrue();
        assertThat(read.messageExpirySeconds()).isEqualTo(3600L);
        assertThat(read.contentType()).isEqualTo("application/json");
        assertThat(read.responseTopic()).isEqualTo("reply/to/me");
        assertThat(read.correlationData()).containsExactly(0, 1, 2, 0xFF);
        assertThat(read.userProperties()).containsExactly(Map.entry("z", "last-name-first"), Map.entry("a", "1"),
                Map.entry("a", "2"), Map.entry("ünïcödé", "värde ✓"));
    }

    @Test
    void noPropertiesReadsBackAsNone() {
        OutboxEntry entry = roundTrip(1, ID, 5, "c", "t", 0, false, MessageProperties.NONE, new byte[] {1});

        assertThat(entry.properties()).isSameAs(MessageProperties.NONE);
        assertThat(entry.retain()).isFalse();
        assertThat(entry.qos()).isZero();
    }

    @Test
    void nullPropertiesAreWrittenAsNone() {
        OutboxEntry entry = roundTrip(1, ID, 5, "c", "t", 1, false, null, new byte[] {1});

        assertThat(entry.properties()).isSameAs(MessageProperties.NONE);
    }

    @Test
    void expiryZeroIsKeptApartFromNoExpiry() {
        MessageProperties zero = new MessageProperties(false, 0L, null, null, null, List.of());
        MessageProperties none = new MessageProperties(false, null, "text/plain", null, null, List.of());
        MessageProperties max = new MessageProperties(false, 0xFFFF_FFFFL, null, null, null, List.of());

        assertThat(roundTrip(1, ID, 1, "c", "t", 1, false, zero, new byte[0]).properties().messageExpirySeconds())
                .isEqualTo(0L);
        bytes.clear();
        assertThat(roundTrip(1, ID, 1, "c", "t", 1, false, none, new byte[0]).properties().messageExpirySeconds())
                .isNull();
        bytes.clear();
        assertThat(roundTrip(1, ID, 1, "c", "t", 1, false, max, new byte[0]).properties().messageExpirySeconds())
                .isEqualTo(0xFFFF_FFFFL);
    }

    @Test
    void emptyCorrelationDataIsKeptApartFromNone() {
        MessageProperties empty = new MessageProperties(false, null, null, null, new byte[0], List.of());

        MessageProperties read = roundTrip(1, ID, 1, "c", "t", 1, false, empty, new byte[0]).properties();

        assertThat(read.correlationData()).isNotNull().isEmpty();
    }

    @Test
    void onlyThePayloadFormatIndicatorIsEnoughToKeepProperties() {
        MessageProperties utf8 = new MessageProperties(true, null, null, null, null, List.of());

        MessageProperties read = roundTrip(1, ID, 1, "c", "t", 1, false, utf8, new byte[0]).properties();

        assertThat(read.payloadFormatUtf8()).isTrue();
        assertThat(read.isEmpty()).isFalse();
    }

    @Test
    void actionSettingsRoundTripInOrderAsVersion2() {
        List<Map.Entry<String, String>> settings = List.of(Map.entry("partitionKey", "oven-1"),
                Map.entry("topic", "alerts/oven-1"));
        byte[] payload = "{}".getBytes(StandardCharsets.UTF_8);
        OutboxEntryCodec.write(bytes, ID.getMostSignificantBits(), ID.getLeastSignificantBits(), 5, "c", "t", 1, false,
                MessageProperties.NONE, settings, payload, payload.length);

        assertThat(bytes.readUnsignedByte(0)).isEqualTo(2);
        OutboxEntry entry = OutboxEntryCodec.read(bytes, 9);
        assertThat(entry.actionSettings()).containsExactlyElementsOf(settings);
        assertThat(entry.actionSetting("topic")).isEqualTo("alerts/oven-1");
        assertThat(entry.actionSetting("missing")).isNull();
        assertThat(entry.payload()).isEqualTo(payload);
    }

    @Test
    void anEntryWithoutActionSettingsIsStillWrittenAsVersion1() {
        OutboxEntry entry = roundTrip(1, ID, 1, "c", "t", 1, false, MessageProperties.NONE, new byte[] {1});

        assertThat(bytes.readUnsignedByte(0)).isEqualTo(1);
        assertThat(entry.actionSettings()).isEmpty();
    }

    @Test
    void emptyPayload() {
        OutboxEntry entry = roundTrip(1, ID, 1, "c", "t", 1, false, MessageProperties.NONE, new byte[0]);

        assertThat(entry.payload()).isEmpty();
    }

    @Test
    void oneMebibytePayload() {
        byte[] payload = new byte[1024 * 1024];
        new Random(7).nextBytes(payload);

        OutboxEntry entry = roundTrip(1, ID, 1, "c", "t", 1, false, MessageProperties.NONE, payload);

        assertThat(entry.payload()).isEqualTo(payload);
    }

    @Test
    void writesOnlyThePayloadLengthAskedFor() {
        byte[] buffer = "hello-and-stale-bytes".getBytes(StandardCharsets.US_ASCII);
        OutboxEntryCodec.write(bytes, ID.getMostSignificantBits(), ID.getLeastSignificantBits(), 1, "c", "t", 1,
                false, MessageProperties.NONE, buffer, 5);

        assertThat(OutboxEntryCodec.read(bytes, 0).payload()).asString(StandardCharsets.US_ASCII).isEqualTo("hello");
    }

    @Test
    void readIngestTimeSkipsToTheTimestamp() {
        OutboxEntryCodec.write(bytes, 1, 2, 1_234_567L, "client", "topic", 1, true,
                new MessageProperties(false, 1L, null, null, null, List.of()), new byte[3], 3);

        assertThat(OutboxEntryCodec.readIngestTime(bytes)).isEqualTo(1_234_567L);
    }

    @Test
    void unknownVersionIsRejectedNamingIt() {
        OutboxEntryCodec.write(bytes, 1, 2, 3, "c", "t", 1, false, MessageProperties.NONE, new byte[1], 1);
        bytes.writeUnsignedByte(0, 9);

        assertThatThrownBy(() -> OutboxEntryCodec.read(bytes, 0x1234))
                .isInstanceOf(CorruptEntryException.class)
                .hasMessageContaining("version 9")
                .hasMessageContaining("1234");
        bytes.readPosition(0);
        assertThatThrownBy(() -> OutboxEntryCodec.readIngestTime(bytes))
                .isInstanceOf(CorruptEntryException.class)
                .hasMessageContaining("version 9");
    }

    private OutboxEntry roundTrip(long index, UUID id, long ingest, String clientId, String topic, int qos,
                                  boolean retain, MessageProperties props, byte[] payload) {
        OutboxEntryCodec.write(bytes, id.getMostSignificantBits(), id.getLeastSignificantBits(), ingest, clientId,
                topic, qos, retain, props, payload, payload.length);
        OutboxEntry entry = OutboxEntryCodec.read(bytes, index);
        assertThat(bytes.readRemaining()).as("entry fully consumed").isZero();
        return entry;
    }
}
