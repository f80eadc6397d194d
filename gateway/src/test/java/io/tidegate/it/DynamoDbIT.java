package io.tidegate.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DynamoDB destination end to end: devices publish over MQTT to a real gateway, which writes
 * to DynamoDB Local; items are read back with Query and Scan. Unprocessed items and throttling,
 * which DynamoDB Local never produces, come from a {@link FaultProxy}.
 */
@ExtendWith(LocalServices.class)
class DynamoDbIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEVICES = 20;
    private static final int MESSAGES = 1000;

    @TempDir
    Path dir;

    @RegisterExtension
    final Cleanup toClose = new Cleanup();

    @Test
    void twentyDevicesThousandMessagesEachBecomeOneItemEach(DynamoDbLocal local) throws Exception {
        DynamoDbClient dynamo = client(local.endpoint());
        createTable(dynamo, "telemetry");
        TestGateway gateway = gateway(local.endpoint(), "telemetry", "ttlSeconds: 86400");

        Fleet.publish(gateway.mqttPort(), "car", DEVICES, MESSAGES);
        AwsIt.awaitForwarded(gateway.gateway(), "table", (long) DEVICES * MESSAGES);

        for (int d = 0; d < DEVICES; d++) {
            String device = Fleet.clientId("car", d);
            List<Integer> seqs = new ArrayList<>();
            query(dynamo, "telemetry", device).forEach(item -> seqs.add(Integer.parseInt(item.get("seq").n())));
            assertThat(seqs).as(device).hasSize(MESSAGES).doesNotHaveDuplicates();
            assertThat(seqs).as("%s in sort key order", device).isSorted();
        }
        Map<String, AttributeValue> item = query(dynamo, "telemetry", "car-3").get(7);
        assertThat(item.get("device").s()).isEqualTo("car-3");
        assertThat(item.get("temp").n()).isEqualTo("21.5");
        assertThat(item.get("ok").bool()).isTrue();
        assertThat(item.get("meta").m().get("fw").s()).isEqualTo("1.2.3");
        assertThat(item.get("meta").m().get("tags").l()).extracting(v -> v.s() != null ? v.s() : v.n())
                .containsExactly("a", "7");
        assertThat(item.get("topic").s()).isEqualTo("dt/car-3/telemetry");
        long ingestMillis = Long.parseLong(item.get("ingestTime").n());
        assertThat(item.get("sk").s()).isEqualTo(String.format("%013d#%s", ingestMillis, item.get("messageId").s()));
        assertThat(Long.parseLong(item.get("ttl").n())).isEqualTo(ingestMillis / 1000 + 86400);
        assertThat(AwsIt.counter(gateway.gateway(), "tidegate.forward.billable.units", "table"))
                .isEqualTo(DEVICES * MESSAGES);
    }

    @Test
    void aRuleActionsPartitionKeyAndSortKeyTemplatesAreTheItemsKey(DynamoDbLocal local) throws Exception {
        DynamoDbClient dynamo = client(local.endpoint());
        createTable(dynamo, "keyed");
        // Every BatchWriteItem call is recorded on its way to DynamoDB Local, untouched: a call with
        // two writes to one key would be refused there and then narrowed down item by item, which
        // would hide it.
        FaultProxy proxy = new FaultProxy(local.endpoint());
        toClose.add(proxy);
        List<List<String>> keysPerCall = new CopyOnWriteArrayList<>();
        proxy.fault((target, body) -> {
            if (target.endsWith(".BatchWriteItem")) {
                List<String> keys = new ArrayList<>();
                FaultProxy.readJson(body).get("RequestItems").get("keyed").forEach(r -> {
                    JsonNode item = r.get("PutRequest").get("Item");
                    keys.add(item.get("pk").get("S").asText() + " | " + item.get("sk").get("S").asText());
                });
                keysPerCall.add(keys);
            }
            return FaultProxy.passThrough(body);
        });
        Path config = AwsIt.config(dir, "table", """
                    type: dynamodb
                    batch: {lingerMs: 1000}
                    aws: {region: us-east-1, endpoint: "%s", credentials: static, accessKeyId: test, secretAccessKey: test}
                    dynamodb: {table: keyed, partitionKey: clientid, partitionKeyAttribute: pk, sortKeyAttribute: sk}
                """.formatted(proxy.endpoint()));
        Files.writeString(config, """
                rules:
                  - name: by-site
                    sql: "SELECT * FROM 'dt/+/telemetry'"
                    actions:
                      - destination: table
                        settings:
                          partitionKey: "site-${topic(1)}"
                          sortKey: "${device}#${seq}"
                """, StandardOpenOption.APPEND);
        TestGateway gateway = TestGateway.startWithConfig(dir.resolve("data"), config);
        toClose.add(gateway);

        Fleet.publish(gateway.mqttPort(), "car", 4, 50);
        AwsIt.awaitForwarded(gateway.gateway(), "table", 200);
        // Two messages to one key in quick succession, so that both are read into one batch.
        try (MqttClient device = new MqttClient("tcp://127.0.0.1:" + gateway.mqttPort(), "car-9",
                new MemoryPersistence())) {
            device.connect();
            for (String payload : List.of("{\"device\":\"car-9\",\"seq\":0,\"v\":1}",
                    "{\"device\":\"car-9\",\"seq\":0,\"v\":2}", "{\"device\":\"car-9\",\"seq\":1,\"v\":3}")) {
                device.publish("dt/car-9/telemetry", payload.getBytes(StandardCharsets.UTF_8), 1, false);
            }
            device.disconnect();
        }
        AwsIt.awaitForwarded(gateway.gateway(), "table", 203);

        assertThat(query(dynamo, "keyed", "car-1")).as("the configured source is overridden").isEmpty();
        List<Map<String, AttributeValue>> items = query(dynamo, "keyed", "site-dt");
        assertThat(items).as("one item per key: 4 × 50, and car-9's two").hasSize(202);
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName("keyed").key(Map.of(
                "pk", AttributeValue.fromS("site-dt"), "sk", AttributeValue.fromS("car-3#7")))).item();
        assertThat(item.get("clientId").s()).isEqualTo("car-3");
        assertThat(item.get("seq").n()).isEqualTo("7");
        assertThat(item.get("messageId").s()).isNotBlank();
        Map<String, AttributeValue> twice = dynamo.getItem(b -> b.tableName("keyed").key(Map.of(
                "pk", AttributeValue.fromS("site-dt"), "sk", AttributeValue.fromS("car-9#0")))).item();
        assertThat(twice.get("v").n()).as("the later message, written in a later call, is the item").isEqualTo("2");

        assertThat(keysPerCall).as("no call writes one key twice")
                .allSatisfy(keys -> assertThat(keys).doesNotHaveDuplicates());
        List<List<String>> car9 = keysPerCall.stream().filter(keys -> keys.contains("site-dt | car-9#0")).toList();
        assertThat(car9).as("calls writing site-dt | car-9#0").hasSize(2);
        assertThat(car9.get(0)).as("the first call held car-9's second message back, not its third")
                .containsExactly("site-dt | car-9#0", "site-dt | car-9#1");
        assertThat(car9.get(1)).containsExactly("site-dt | car-9#0");
        assertThat(AwsIt.counter(gateway.gateway(), "tidegate.forward.retries", "table"))
                .as("deferred to the next call, which is no retry").isZero();
        assertThat(AwsIt.counter(gateway.gateway(), "tidegate.forward.rejects", "table")).isZero();
        assertThat(AwsIt.counter(gateway.gateway(), "tidegate.forward.errors", "table")).isZero();
    }

    @Test
    void unprocessedItemsAndThrottlingAreRetriedUntilEveryItemIsThere(DynamoDbLocal local) throws Exception {
        DynamoDbClient dynamo = client(local.endpoint());
        createTable(dynamo, "faulty");
        FaultProxy proxy = new FaultProxy(local.endpoint());
        toClose.add(proxy);
        List<List<String>> calls = new CopyOnWriteArrayList<>();
        List<List<String>> unprocessedPerCall = new CopyOnWriteArrayList<>();
        AtomicInteger batchCalls = new AtomicInteger();
        proxy.fault((target, body) -> {
            if (!target.endsWith(".BatchWriteItem")) {
                return FaultProxy.passThrough(body);
            }
            int call = batchCalls.incrementAndGet();
            ObjectNode request = (ObjectNode) FaultProxy.readJson(body);
            calls.add(sortKeys(request, "faulty"));
            if (call == 3) {
                unprocessedPerCall.add(sortKeys(request, "faulty"));
                return throttled();
            }
            if (call <= 12) {
                return leaveSomeUnprocessed(request, "faulty", unprocessedPerCall);
            }
            unprocessedPerCall.add(List.of());
            return FaultProxy.passThrough(body);
        });
        TestGateway gateway = gateway(proxy.endpoint(), "faulty", "");

        Fleet.publish(gateway.mqttPort(), "van", 5, 200);
        AwsIt.awaitForwarded(gateway.gateway(), "table", 1000);

        List<Map<String, AttributeValue>> items = dynamo.scanPaginator(b -> b.tableName("faulty")).items().stream().toList();
        assertThat(items).hasSize(1000);
        for (int d = 0; d < 5; d++) {
            assertThat(query(dynamo, "faulty", Fleet.clientId("van", d))).hasSize(200);
        }
        int checked = 0;
        for (int i = 0; i < unprocessedPerCall.size() && i + 1 < calls.size(); i++) {
            if (!unprocessedPerCall.get(i).isEmpty()) {
                assertThat(calls.get(i + 1)).as("call %d", i + 2).containsExactlyElementsOf(unprocessedPerCall.get(i));
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(3);
        assertThat(AwsIt.counter(gateway.gateway(), "tidegate.forward.throttles", "table"))
                .isEqualTo(unprocessedPerCall.stream().mapToInt(List::size).sum());
        assertThat(AwsIt.counter(gateway.gateway(), "tidegate.forward.retries", "table"))
                .isEqualTo(unprocessedPerCall.stream().mapToInt(List::size).sum());
    }

    @Test
    void anItemOver400KbIsDeadLetteredAndShownByOutboxDump(DynamoDbLocal local) throws Exception {
        DynamoDbClient dynamo = client(local.endpoint());
        createTable(dynamo, "limits");
        TestGateway gateway = gateway(local.endpoint(), "limits", "");
        byte[] huge = new byte[400 * 1024];

        Fleet.publishOne(gateway.mqttPort(), "truck-1", Fleet.payload("truck-1", 0));
        Fleet.publishOne(gateway.mqttPort(), "truck-1", huge);
        Fleet.publishOne(gateway.mqttPort(), "truck-1", "not json".getBytes(StandardCharsets.UTF_8));
        AwsIt.awaitForwarded(gateway.gateway(), "table", 3);

        List<Map<String, AttributeValue>> items = query(dynamo, "limits", "truck-1");
        assertThat(items).hasSize(2);
        assertThat(items.get(1).get("payload").b().asUtf8String()).isEqualTo("not json");
        List<String> dead = AwsIt.dump(dir.resolve("tidegate.yaml"), gateway.dataDir(), "deadletter/table");
        assertThat(dead).hasSize(1);
        JsonNode line = JSON.readTree(dead.get(0));
        assertThat(line.get("properties").get("userProperties").toString())
                .contains("tidegate.deadletter.reason", "exceeds the destination's limit of 409600 bytes");
    }

    // ---- fault shapes ----

    private static FaultProxy.Exchange throttled() {
        return new FaultProxy.Exchange() {
            @Override
            public byte[] forward() {
                return null;
            }

            @Override
            public FaultProxy.Response answer(int status, byte[] body) {
                return new FaultProxy.Response(400, ("{\"__type\":\"com.amazonaws.dynamodb.v20120810#"
                        + "ProvisionedThroughputExceededException\",\"message\":\"The level of configured provisioned"
                        + " throughput for the table was exceeded.\"}").getBytes(StandardCharsets.UTF_8));
            }
        };
    }

    /** Holds back every other item and answers with them in {@code UnprocessedItems}, as DynamoDB does. */
    private static FaultProxy.Exchange leaveSomeUnprocessed(ObjectNode request, String table,
                                                           List<List<String>> unprocessedPerCall) {
        ArrayNode all = (ArrayNode) request.get("RequestItems").get(table);
        ArrayNode kept = JSON.createArrayNode();
        ArrayNode held = JSON.createArrayNode();
        for (int i = 0; i < all.size(); i++) {
            (i % 2 == 0 && all.size() > 1 ? kept : held).add(all.get(i));
        }
        if (all.size() == 1) {
            // a lone item goes through, or the retries would never end
            kept.add(held.remove(0));
        }
        List<String> heldKeys = new ArrayList<>();
        held.forEach(r -> heldKeys.add(r.get("PutRequest").get("Item").get("sk").get("S").asText()));
        unprocessedPerCall.add(heldKeys);
        ((ObjectNode) request.get("RequestItems")).set(table, kept);
        byte[] forward = FaultProxy.writeJson(request);
        return new FaultProxy.Exchange() {
            @Override
            public byte[] forward() {
                return forward;
            }

            @Override
            public FaultProxy.Response answer(int status, byte[] body) {
                ObjectNode response = (ObjectNode) FaultProxy.readJson(body);
                if (!held.isEmpty()) {
                    response.putObject("UnprocessedItems").set(table, held);
                }
                return new FaultProxy.Response(status, FaultProxy.writeJson(response));
            }
        };
    }

    // ---- helpers ----

    private TestGateway gateway(String endpoint, String table, String extra) throws Exception {
        Path config = AwsIt.config(dir, "table", """
                    type: dynamodb
                    aws: {region: us-east-1, endpoint: "%s", credentials: static, accessKeyId: test, secretAccessKey: test}
                    dynamodb: {table: %s, partitionKey: clientid, partitionKeyAttribute: pk, sortKeyAttribute: sk%s}
                """.formatted(endpoint, table, extra.isEmpty() ? "" : ", " + extra));
        TestGateway gateway = TestGateway.startWithConfig(dir.resolve("data"), config);
        toClose.add(gateway);
        return gateway;
    }

    private DynamoDbClient client(String endpoint) {
        DynamoDbClient client = DynamoDbClient.builder().region(Region.US_EAST_1).endpointOverride(URI.create(endpoint))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
        toClose.add(client);
        return client;
    }

    private static void createTable(DynamoDbClient dynamo, String table) {
        dynamo.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH),
                        k -> k.attributeName("sk").keyType(KeyType.RANGE)));
    }

    private static List<Map<String, AttributeValue>> query(DynamoDbClient dynamo, String table, String device) {
        return dynamo.queryPaginator(b -> b.tableName(table).keyConditionExpression("pk = :d")
                        .expressionAttributeValues(Map.of(":d", AttributeValue.fromS(device))))
                .items().stream().toList();
    }

    private static List<String> sortKeys(ObjectNode request, String table) {
        List<String> keys = new ArrayList<>();
        request.get("RequestItems").get(table)
                .forEach(r -> keys.add(r.get("PutRequest").get("Item").get("sk").get("S").asText()));
        return keys;
    }
}
