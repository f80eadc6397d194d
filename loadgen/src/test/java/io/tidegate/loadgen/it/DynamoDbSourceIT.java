package io.tidegate.loadgen.it;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.fasterxml.jackson.databind.JsonNode;
import io.tidegate.loadgen.cli.LoadgenCliAccess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * verify --source dynamodb: against DynamoDB Local (in-process server). The table is keyed by
 * device (partition) and message id (sort), so a re-delivered message is a second item.
 */
class DynamoDbSourceIT {

    private static final String TABLE = "telemetry";

    private static DynamoDBProxyServer server;
    private static DynamoDbClient client;
    private static String endpoint;

    @TempDir
    Path dir;

    @BeforeAll
    static void startDynamoDbLocal() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        server = ServerRunner.createServerFromCommandLineArgs(
                new String[] {"-inMemory", "-port", Integer.toString(port), "-disableTelemetry"});
        server.start();
        endpoint = "http://localhost:" + port;
        client = DynamoDbClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
        client.createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("clientId").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("clientId").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("id").keyType(KeyType.RANGE).build()));
        // device-1: seq attribute, 1..30 without 7, 3 twice.
        for (int seq = 1; seq <= 30; seq++) {
            if (seq != 7) {
                put("device-1", Map.of("seq", AttributeValue.fromN(Integer.toString(seq))));
            }
        }
        put("device-1", Map.of("seq", AttributeValue.fromN("3")));
        // device-2: the payload as a map, as a forwarder mapping JSON to attributes writes it.
        for (int seq = 1; seq <= 30; seq++) {
            put("device-2", Map.of("payload", AttributeValue.fromM(Map.of(
                    "device", AttributeValue.fromS("device-2"), "seq", AttributeValue.fromN(Integer.toString(seq)),
                    "temperature", AttributeValue.fromN("21.5")))));
        }
        // device-3: the payload as a JSON string, 1..30 without 29-30.
        for (int seq = 1; seq <= 28; seq++) {
            put("device-3", Map.of("payload", AttributeValue.fromS("{\"device\":\"device-3\",\"seq\":" + seq + "}")));
        }
    }

    private static void put(String device, Map<String, AttributeValue> attributes) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(attributes);
        item.put("clientId", AttributeValue.fromS(device));
        item.put("id", AttributeValue.fromS(UUID.randomUUID().toString()));
        client.putItem(b -> b.tableName(TABLE).item(item));
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void queryingEachDevicesPartitionFindsWhatIsMissingAndDuplicated() throws Exception {
        Path json = dir.resolve("verify.json");

        LoadgenCliAccess.Result result = LoadgenCliAccess.run("verify", "--source", "dynamodb:" + TABLE,
                "--endpoint", endpoint, "--expect-devices", "4", "--expect-messages", "30", "--json", json.toString());

        assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(1);
        JsonNode verdict = Reports.read(json);
        assertThat(verdict.get("records").asLong()).isEqualTo(29 + 1 + 30 + 28);
        assertThat(verdict.get("duplicates").asLong()).isEqualTo(1);
        // device-1 #7, device-3 #29-30, device-4 (absent) all 30.
        assertThat(verdict.get("missing").asLong()).isEqualTo(1 + 2 + 30);
        assertThat(result.out()).contains("device-1: received 30, highest seq 30, missing 1 [7], duplicated 1 (e.g. [3])",
                "device-3: received 28, highest seq 28, missing 2 [29-30]", "device-4: received 0");
    }

    @Test
    void scanningTheTableWorksWithoutKnownDevices() {
        LoadgenCliAccess.Result result = LoadgenCliAccess.run("verify", "--source", "dynamodb:" + TABLE,
                "--endpoint", endpoint);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("88 records, 3 devices", "missing    1\n");
    }

    @Test
    void aMissingTableIsAnErrorNotAVerdict() {
        LoadgenCliAccess.Result result = LoadgenCliAccess.run("verify", "--source", "dynamodb:nope", "--endpoint", endpoint);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("cannot read dynamodb:nope");
    }
}
