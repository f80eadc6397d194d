package io.tidegate.forward.dynamodb;

import io.tidegate.config.DynamoDbConfig;
import io.tidegate.outbox.MessageProperties;
import io.tidegate.outbox.OutboxEntry;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ItemMapperTest {

    private static final long INGEST = 1_700_000_000_123L;

    private final ItemMapper mapper = new ItemMapper(new DynamoDbConfig("t", "clientid", "pk", "sk", 60L, "expires"));

    @Test
    void jsonFieldsBecomeTypedAttributes() {
        Map<String, AttributeValue> item = mapper.map(entry(
                "{\"n\":1.50,\"big\":123456789012345678901234567890123456789012,\"s\":\"x\",\"b\":false,\"z\":null,"
                        + "\"m\":{\"l\":[1,\"two\",{\"three\":3}]},\"pk\":\"mine\"}"));

        assertThat(item.get("pk").s()).isEqualTo("dev-1");
        assertThat(item.get("payload_pk").s()).isEqualTo("mine");
        assertThat(item.get("sk").s()).isEqualTo("1700000000123#" + new UUID(1, 2));
        assertThat(item.get("n").n()).isEqualTo("1.50");
        assertThat(item.get("big").s()).as("over 38 digits: kept exactly, as a string")
                .isEqualTo("123456789012345678901234567890123456789012");
        assertThat(item.get("s").s()).isEqualTo("x");
        assertThat(item.get("b").bool()).isFalse();
        assertThat(item.get("z").nul()).isTrue();
        List<AttributeValue> list = item.get("m").m().get("l").l();
        assertThat(list.get(0).n()).isEqualTo("1");
        assertThat(list.get(1).s()).isEqualTo("two");
        assertThat(list.get(2).m().get("three").n()).isEqualTo("3");
        assertThat(item.get("expires").n()).isEqualTo(Long.toString(INGEST / 1000 + 60));
        assertThat(item.get("clientId").s()).isEqualTo("dev-1");
        assertThat(item.get("topic").s()).isEqualTo("dt/dev-1/x");
        assertThat(item.get("ingestTime").n()).isEqualTo(Long.toString(INGEST));
    }

    @Test
    void theRuleActionsRenderedKeysAreTheItemsKey() {
        Map<String, AttributeValue> item = mapper.map(entry("{}", List.of(Map.entry("partitionKey", "site-7"),
                Map.entry("sortKey", "2026-11-23#dev-1#42"))));

        assertThat(item.get("pk").s()).isEqualTo("site-7");
        assertThat(item.get("sk").s()).isEqualTo("2026-11-23#dev-1#42");
        assertThat(item.get("messageId").s()).as("the id stays for de-duplication").isEqualTo(new UUID(1, 2).toString());
    }

    @Test
    void withoutARuleSortKeyTheDefaultIsIngestTimeAndMessageId() {
        String expected = "1700000000123#" + new UUID(1, 2);

        assertThat(mapper.map(entry("{}", List.of(Map.entry("partitionKey", "site-7")))).get("sk").s())
                .isEqualTo(expected);
        assertThat(mapper.map(entry("{}", List.of(Map.entry("sortKey", "")))).get("sk").s())
                .as("an empty rendered sortKey, which DynamoDB would refuse").isEqualTo(expected);
    }

    @Test
    void otherJsonGoesToPayloadAndNonJsonAsBinary() {
        assertThat(mapper.map(entry("[1,2]")).get("payload").l()).hasSize(2);
        assertThat(mapper.map(entry("42")).get("payload").n()).isEqualTo("42");
        assertThat(mapper.map(entry("{\"a\":1} trailing")).get("payload").b().asUtf8String())
                .isEqualTo("{\"a\":1} trailing");
        byte[] binary = {(byte) 0xFF, 0, 1};
        OutboxEntry raw = new OutboxEntry(0, new UUID(1, 2), INGEST, "dev-1", "dt/dev-1/x", 1, false,
                MessageProperties.NONE, binary, 0);
        assertThat(mapper.map(raw).get("payload").b().asByteArray()).isEqualTo(binary);
    }

    @Test
    void theSizeCountsNamesAndValuesAsDynamoDbDoes() {
        Map<String, AttributeValue> item = Map.of("ab", AttributeValue.fromS("héllo"), "n", AttributeValue.fromN("12345"),
                "m", AttributeValue.fromM(Map.of("k", AttributeValue.fromBool(true))));
        // "ab"(2) + 6 bytes; "n"(1) + 5 digits / 2 + 1 (4); "m"(1) + 3 + (1 + "k"(1) + 1)
        assertThat(ItemSize.of(item)).isEqualTo(8 + 5 + 7);
    }

    private static OutboxEntry entry(String payload) {
        return entry(payload, List.of());
    }

    private static OutboxEntry entry(String payload, List<Map.Entry<String, String>> actionSettings) {
        return new OutboxEntry(0, new UUID(1, 2), INGEST, "dev-1", "dt/dev-1/x", 1, false, MessageProperties.NONE,
                payload.getBytes(StandardCharsets.UTF_8), 0, actionSettings);
    }
}
