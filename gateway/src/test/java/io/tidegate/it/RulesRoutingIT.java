package io.tidegate.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidegate.security.certs.DeviceFiles;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules in the running gateway: the route stage evaluates them and stores one outbox entry per
 * action, with the SELECT result as payload; what no rule matches goes to the default destination.
 */
class RulesRoutingIT {

    @TempDir
    Path dataDir;
    @TempDir
    Path configDir;

    @Test
    @DisplayName("a rule's SELECT result goes to its action's destination; unmatched messages to the default")
    void rulesRouteAndTransform() throws Exception {
        Path config = configDir.resolve("tidegate.yaml");
        Files.writeString(config, """
                destinations:
                  hot:
                    type: file
                rules:
                  - name: overheating
                    sql: "SELECT temperature, topic(2) AS deviceId, principal() AS who FROM 'dt/+/telemetry' WHERE temperature > 50"
                    actions:
                      - destination: hot
                        settings:
                          partitionKey: "${topic(2)}"
                          alertTopic: "alerts/${clientid()}"
                  - name: audit
                    sql: "SELECT * FROM 'dt/+/audit'"
                    actions:
                      - destination: hot
                      - destination: file
                """);
        try (TestGateway gateway = TestGateway.startWithConfig(dataDir, config)) {
            DeviceFiles device = gateway.devices(1, "oven").devices().get("oven-1");
            PahoV3Client client = new PahoV3Client("oven-1", gateway.mqttsPort(), ClientTls.of(gateway.caCert(), device));
            client.connect();
            client.publishTo("dt/oven-1/telemetry", "{\"temperature\":72,\"humidity\":10}");
            client.publishTo("dt/oven-1/telemetry", "{\"temperature\":20,\"humidity\":11}");
            client.publishTo("dt/oven-1/audit", "door opened");
            client.close();

            Path hotSink = dataDir.resolve("sink/hot");
            List<JsonNode> hot = SinkLines.awaitLines(hotSink, l -> l.size() == 2, Duration.ofSeconds(10));
            List<JsonNode> file = SinkLines.awaitLines(gateway.sinkDir(), l -> l.size() == 2, Duration.ofSeconds(10));

            assertThat(hot).hasSize(2);
            assertThat(hot.get(0).get("payload").toString())
                    .isEqualTo("{\"temperature\":72,\"deviceId\":\"oven-1\",\"who\":\"oven-1\"}");
            assertThat(hot.get(0).get("action").toString())
                    .isEqualTo("{\"partitionKey\":\"oven-1\",\"alertTopic\":\"alerts/oven-1\"}");
            assertThat(hot.get(1).get("payloadBase64").asText()).isEqualTo("ZG9vciBvcGVuZWQ=");
            assertThat(hot.get(1).has("action")).isFalse();

            assertThat(file).extracting(l -> l.get("topic").asText())
                    .containsExactly("dt/oven-1/telemetry", "dt/oven-1/audit");
            assertThat(file.get(0).get("payload").get("temperature").asInt()).isEqualTo(20);
            // One message, one id, wherever it was stored.
            assertThat(file.get(1).get("id").asText()).isEqualTo(hot.get(1).get("id").asText());
        }
    }
}
