package io.tidegate.loadgen.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A DynamoDB table with the device id as partition key. With expected devices it queries each
 * device's partition; otherwise it scans the table. An item's sequence number is its {@code seq}
 * attribute, or the {@code seq} inside a {@code payload} attribute (a map, or a JSON string or
 * binary); the device is the partition key's value.
 */
public final class DynamoDbSource implements VerifySource {

    private final DynamoDbClient client;
    private final String table;
    private final List<String> devices;

    /** @param devices the partitions to query; empty to scan the table */
    public DynamoDbSource(DynamoDbClient client, String table, List<String> devices) {
        this.client = client;
        this.table = table;
        this.devices = List.copyOf(devices);
    }

    @Override
    public void readInto(SequenceLedger ledger) {
        String partitionKey = partitionKey();
        if (devices.isEmpty()) {
            client.scanPaginator(ScanRequest.builder().tableName(table).consistentRead(true).build())
                    .items().forEach(item -> record(ledger, item, partitionKey));
            return;
        }
        for (String device : devices) {
            QueryRequest query = QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression("#pk = :device")
                    .expressionAttributeNames(Map.of("#pk", partitionKey))
                    .expressionAttributeValues(Map.of(":device", AttributeValue.fromS(device)))
                    .build();
            client.queryPaginator(query).items().forEach(item -> record(ledger, item, partitionKey));
        }
    }

    private String partitionKey() {
        return client.describeTable(b -> b.tableName(table)).table().keySchema().stream()
                .filter(k -> k.keyType() == KeyType.HASH).map(KeySchemaElement::attributeName)
                .findFirst().orElseThrow(() -> new IllegalStateException("table " + table + " has no partition key"));
    }

    static void record(SequenceLedger ledger, Map<String, AttributeValue> item, String partitionKey) {
        AttributeValue key = item.get(partitionKey);
        String device = key == null ? null : key.s() != null ? key.s() : key.n();
        AttributeValue seq = item.get("seq");
        if (seq != null && seq.n() != null) {
            ledger.record(device, new BigDecimal(seq.n()).longValue());
            return;
        }
        AttributeValue payload = item.get("payload");
        if (payload == null) {
            ledger.recordUnsequenced();
        } else if (payload.hasM()) {
            MessageRecords.record(ledger, toJson(payload), device);
        } else if (payload.s() != null) {
            MessageRecords.recordJson(ledger, payload.s().getBytes(StandardCharsets.UTF_8), device);
        } else if (payload.b() != null) {
            MessageRecords.recordJson(ledger, payload.b().asByteArray(), device);
        } else {
            ledger.recordUnsequenced();
        }
    }

    /** A DynamoDB map as JSON, enough to find {@code device} and {@code seq}. */
    private static JsonNode toJson(AttributeValue value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (value.hasM()) {
            ObjectNode node = f.objectNode();
            value.m().forEach((k, v) -> node.set(k, toJson(v)));
            return node;
        }
        if (value.s() != null) {
            return f.textNode(value.s());
        }
        if (value.n() != null) {
            return f.numberNode(new BigDecimal(value.n()));
        }
        if (value.bool() != null) {
            return f.booleanNode(value.bool());
        }
        SdkBytes b = value.b();
        return b != null ? f.binaryNode(b.asByteArray()) : f.nullNode();
    }

    @Override
    public String describe() {
        return "dynamodb:" + table;
    }

    @Override
    public void close() {
        client.close();
    }
}
