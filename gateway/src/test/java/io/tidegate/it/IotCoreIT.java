package io.tidegate.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.tidegate.security.certs.DeviceFiles;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The IoT Core destination end to end against its stand-in, Debian's Mosquitto with mutual TLS and
 * an ACL as the IoT policy ({@link MosquittoIotCore}): devices publish over MQTT to a real gateway,
 * which forwards through its pool of MQTT 5 connections; an upstream subscriber with its own
 * certificate reads what arrived.
 */
class IotCoreIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @RegisterExtension
    final Cleanup toClose = new Cleanup();

    @Test
    void twentyDevicesThousandMessagesEachArriveCompleteAndInOrderPerDevice() throws Exception {
        MosquittoIotCore broker = broker(false);
        UpstreamReader reader = reader(broker, "dt/#", true);
        TestGateway gateway = gateway(broker, "connections: 20");

        Fleet.publish(gateway.mqttPort(), "car", 20, 1000);
        AwsIt.awaitForwarded(gateway.gateway(), "cloud", 20_000);
        AwsIt.until("20,000 messages upstream", () -> reader.count() >= 20_000);

        Map<String, List<Integer>> sequences = reader.sequencesByDevice();
        assertThat(sequences).hasSize(20);
        sequences.forEach((device, seqs) -> assertThat(seqs).as(device).hasSize(1000).isSorted().doesNotHaveDuplicates());
        assertThat(reader.topics()).allMatch(topic -> topic.matches("dt/car-\\d+/telemetry"));
        assertThat(AwsIt.counter(gateway.gateway(), "tidegate.forward.retries", "cloud")).isZero();
        assertThat(gateway.gateway().registry().get("tidegate.forward.billable.units").tag("destination", "cloud")
                .tag("unit", "iotcore_message_units").counter().count()).isEqualTo(20_000);
        assertThat(connectionsUp(gateway)).isEqualTo(20);
    }

    @Test
    void anOutageOfTheBrokerLosesNothingAndKeepsEachDevicesOrder() throws Exception {
        MosquittoIotCore broker = broker(true);
        UpstreamReader reader = reader(broker, "dt/#", false);
        TestGateway gateway = gateway(broker, "connections: 3");

        CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
            try {
                Fleet.publish(gateway.mqttPort(), "bus", 6, 400);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        AwsIt.until("some forwarded", () -> AwsIt.counter(gateway.gateway(), "tidegate.forwarded.messages", "cloud") >= 200);
        broker.stop();
        AwsIt.until("the destination sees the outage", () -> connectionsUp(gateway) == 0);
        publishing.get(90, TimeUnit.SECONDS);
        double forwardedDuringOutage = AwsIt.counter(gateway.gateway(), "tidegate.forwarded.messages", "cloud");
        assertThat(forwardedDuringOutage).isLessThan(2400);
        broker.restart();

        AwsIt.awaitForwarded(gateway.gateway(), "cloud", 2400);
        AwsIt.until("2,400 distinct messages upstream", () -> reader.distinct() >= 2400);
        Map<String, List<Integer>> sequences = reader.sequencesByDevice();
        assertThat(sequences).hasSize(6);
        sequences.forEach((device, seqs) -> {
            List<Integer> firstSeen = new ArrayList<>(new LinkedHashSet<>(seqs));
            assertThat(firstSeen).as(device).hasSize(400).isSorted();
        });
        assertThat(AwsIt.counter(gateway.gateway(), "tidegate.forward.retries", "cloud")).isPositive();
        assertThat(gateway.gateway().status().toString()).contains("state=healthy");
    }

    @Test
    void messagesThePolicyOrTopicRulesRefuseAreDeadLetteredAndTheRestDelivered() throws Exception {
        MosquittoIotCore broker = broker(false);
        UpstreamReader reader = reader(broker, "#", true);
        TestGateway gateway = gateway(broker, "connections: 1");

        publishTo(gateway.mqttPort(), "van-1", "dt/van-1/telemetry", "first");
        publishTo(gateway.mqttPort(), "van-1", "forbidden/van-1", "refused by the ACL");
        publishTo(gateway.mqttPort(), "van-1", "dt/a/b/c/d/e/f/g/h", "eight slashes");
        publishTo(gateway.mqttPort(), "van-1", "dt/van-1/telemetry", "last");
        AwsIt.awaitForwarded(gateway.gateway(), "cloud", 4);

        AwsIt.until("two messages upstream", () -> reader.count() >= 2);
        assertThat(reader.payloads()).containsExactly("first", "last");
        assertThat(AwsIt.counter(gateway.gateway(), "tidegate.forward.rejects", "cloud")).isEqualTo(2);
        List<String> dead = AwsIt.dump(dir.resolve("tidegate.yaml"), gateway.dataDir(), "deadletter/cloud");
        assertThat(dead).hasSize(2);
        assertThat(JSON.readTree(dead.get(0)).get("topic").asText()).isEqualTo("forbidden/van-1");
        assertThat(dead.get(0)).contains("PUBACK 0x87 (not authorized)");
        assertThat(dead.get(1)).contains("topic has 8 slashes; IoT Core allows 7");
        assertThat(connectionsUp(gateway)).isEqualTo(1);
    }

    @Test
    void aRuleActionsTopicTemplateIsTheUpstreamTopicCheckedLikeAnyOtherAndPayloadsStayWithin128KiB()
            throws Exception {
        MosquittoIotCore broker = broker(false);
        UpstreamReader reader = reader(broker, "#", true);
        TestGateway gateway = gateway(broker, "connections: 1", """
                rules:
                  - name: by-kind
                    sql: "SELECT * FROM 'dt/+/telemetry'"
                    actions:
                      - destination: cloud
                        settings:
                          topic: "dt/fleet/${clientid()}/${kind}"
                """);
        String pad = "x".repeat(128 * 1024 - "{\"kind\":\"full\",\"pad\":\"\"}".length());

        publishTo(gateway.mqttPort(), "van-1", "dt/van-1/telemetry", "{\"kind\":\"speed\"}");
        publishTo(gateway.mqttPort(), "van-1", "dt/van-1/telemetry", "{\"kind\":\"a/b/c/d/e/f\"}");
        publishTo(gateway.mqttPort(), "van-1", "dt/van-1/telemetry", "{\"kind\":\"full\",\"pad\":\"" + pad + "\"}");
        publishTo(gateway.mqttPort(), "van-1", "dt/van-1/telemetry", "{\"kind\":\"over\",\"pad\":\"" + pad + "x\"}");
        publishTo(gateway.mqttPort(), "van-1", "dt/van-1/telemetry", "{\"kind\":\"last\"}");
        AwsIt.awaitForwarded(gateway.gateway(), "cloud", 5);

        AwsIt.until("three messages upstream", () -> reader.count() >= 3);
        assertThat(reader.topics()).containsExactly("dt/fleet/van-1/speed", "dt/fleet/van-1/full",
                "dt/fleet/van-1/last");
        assertThat(reader.payloads().get(1)).as("a payload of exactly 128 KiB").hasSize(128 * 1024);
        List<String> dead = AwsIt.dump(dir.resolve("tidegate.yaml"), gateway.dataDir(), "deadletter/cloud");
        assertThat(dead).hasSize(2);
        assertThat(dead.get(0)).contains("topic has 8 slashes; IoT Core allows 7");
        assertThat(dead.get(1)).contains("exceeds the destination's limit of 131072 bytes");
        assertThat(AwsIt.counter(gateway.gateway(), "tidegate.forward.rejects", "cloud")).isEqualTo(2);
        assertThat(connectionsUp(gateway)).as("a bad topic never reaches the broker, so no connection drops")
                .isEqualTo(1);
    }

    @Test
    void basicIngestPublishesUnderTheRulesTopicWithoutMessagingCharges() throws Exception {
        MosquittoIotCore broker = broker(false);
        UpstreamReader reader = reader(broker, "$aws/rules/telemetry_rule/#", true);
        TestGateway gateway = gateway(broker, "connections: 2\n      basicIngestRule: telemetry_rule");

        Fleet.publish(gateway.mqttPort(), "cart", 4, 50);
        AwsIt.awaitForwarded(gateway.gateway(), "cloud", 200);
        AwsIt.until("200 messages upstream", () -> reader.count() >= 200);

        assertThat(reader.topics()).allMatch(topic -> topic.matches("\\$aws/rules/telemetry_rule/dt/cart-\\d+/telemetry"));
        assertThat(AwsIt.counter(gateway.gateway(), "tidegate.forward.billable.units", "cloud")).isZero();
    }

    @Test
    void commandsFromTheCloudReachLocalSubscribersAndAreNotSentBack() throws Exception {
        MosquittoIotCore broker = broker(false);
        UpstreamReader upstreamCommands = reader(broker, "cmd/#", true);
        TestGateway gateway = gateway(broker, "connections: 2\n      downstream: [\"cmd/#\"]");
        AwsIt.until("the pool is up", () -> connectionsUp(gateway) == 2);

        MqttClient device = new MqttClient("tcp://127.0.0.1:" + gateway.mqttPort(), "truck-9", new MemoryPersistence());
        toClose.add(device::close);
        device.connect();
        List<String> received = new CopyOnWriteArrayList<>();
        device.subscribe("cmd/truck-9/#", 1, (topic, message) ->
                received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8)));

        UpstreamReader operator = upstreamCommands;
        operator.publish("cmd/truck-9/reboot", "now");
        operator.publish("cmd/truck-7/reboot", "not for truck-9");
        AwsIt.until("the command reached the device", () -> !received.isEmpty());
        AwsIt.until("both commands seen upstream", () -> upstreamCommands.count() >= 2);

        assertThat(received).containsExactly("cmd/truck-9/reboot now");
        // Not routed to the destination, so never published back upstream.
        assertThat(AwsIt.counter(gateway.gateway(), "tidegate.forwarded.messages", "cloud")).isZero();
        assertThat(upstreamCommands.count()).isEqualTo(2);
        device.disconnect();
    }

    // ---- helpers ----

    private MosquittoIotCore broker(boolean persistent) throws Exception {
        MosquittoIotCore broker = MosquittoIotCore.start(dir.resolve("broker"), persistent);
        toClose.add(broker);
        return broker;
    }

    private TestGateway gateway(MosquittoIotCore broker, String extra) throws Exception {
        return gateway(broker, extra, "");
    }

    /** With {@code rulesYaml} (top-level YAML) appended to the configuration. */
    private TestGateway gateway(MosquittoIotCore broker, String extra, String rulesYaml) throws Exception {
        DeviceFiles gatewayCert = broker.client("tidegate-gateway");
        Path config = AwsIt.config(dir, "cloud", """
                    type: iotcore
                    batch: {lingerMs: 5}
                    iotcore:
                      endpoint: localhost
                      port: %d
                      certificate: %s
                      privateKey: %s
                      caCertificate: %s
                      clientIdPrefix: gw
                      %s
                """.formatted(broker.port(), gatewayCert.certificate(), gatewayCert.privateKey(), broker.caCert(), extra));
        Files.writeString(config, rulesYaml, StandardOpenOption.APPEND);
        TestGateway gateway = TestGateway.startWithConfig(dir.resolve("data"), config);
        toClose.add(gateway);
        return gateway;
    }

    private UpstreamReader reader(MosquittoIotCore broker, String filter, boolean cleanStart) throws Exception {
        UpstreamReader reader = new UpstreamReader(broker, filter, cleanStart);
        toClose.add(reader);
        return reader;
    }

    private static double connectionsUp(TestGateway gateway) {
        Gauge gauge = gateway.gateway().registry().find("tidegate.iotcore.connections").tag("destination", "cloud")
                .gauge();
        return gauge == null ? -1 : gauge.value();
    }

    private static void publishTo(int port, String clientId, String topic, String payload) throws Exception {
        try (MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence())) {
            client.connect();
            client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
            client.disconnect();
        }
    }
}
