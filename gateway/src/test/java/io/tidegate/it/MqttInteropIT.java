package io.tidegate.it;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.tidegate.testing.Await;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retained messages, wills and subscription options with other people's MQTT clients on the
 * gateway's plain listener: Debian's mosquitto_pub/mosquitto_sub (MQTT 3.1.1 and 5), Eclipse Paho
 * (MQTT 5) and the HiveMQ client (MQTT 5).
 */
class MqttInteropIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dataDir;

    @RegisterExtension
    final Cleanup toClose = new Cleanup();

    @Test
    void mosquittoClientsSetReadAndClearARetainedMessageInBothVersions() throws Exception {
        TestGateway gateway = gateway();
        String port = Integer.toString(gateway.mqttPort());

        assertThat(Commands.run("mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-V", "mqttv5", "-q", "1", "-r",
                "-t", "status/pump-1", "-m", "on")).isEmpty();

        for (String version : List.of("mqttv311", "mqttv5")) {
            assertThat(Commands.run("mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-V", version, "-q", "1", "-t", "status/#",
                    "-C", "1", "-W", "10", "-F", "%r %q %t %p")).as(version).containsExactly("1 1 status/pump-1 on");
        }
        // An empty retained payload clears it: a new subscriber then waits in vain.
        assertThat(Commands.run("mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-q", "1", "-r", "-n", "-t", "status/pump-1"))
                .isEmpty();
        assertThat(Commands.run("mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-t", "status/#", "-C", "1", "-W", "2",
                "-F", "%r %t %p")).as("nothing retained any more").containsExactly("Timed out");
    }

    @Test
    void theRetainedWillOfAKilledClientReachesSubscribersAndLaterOnes() throws Exception {
        TestGateway gateway = gateway();
        String port = Integer.toString(gateway.mqttPort());
        List<String> seen = new CopyOnWriteArrayList<>();
        MqttClient watcher = paho(gateway, "watcher");
        watcher.subscribe(new MqttSubscription[] {new MqttSubscription("will/#", 1)},
                new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {(topic, message) ->
                        seen.add(topic + " " + text(message) + " retain=" + message.isRetained())});

        int before = connections(gateway);
        Process doomed = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-V", "mqttv5",
                "-i", "pump-2", "-t", "cmd/pump-2", "--will-topic", "will/pump-2", "--will-payload", "gone",
                "--will-qos", "1", "--will-retain").redirectErrorStream(true).start();
        toClose.add(doomed::destroyForcibly);
        Await.until("the client with a will connected", WAIT, () -> connections(gateway) > before);
        doomed.toHandle().destroyForcibly(); // SIGKILL: no DISCONNECT, so the will goes out
        doomed.waitFor(10, TimeUnit.SECONDS);

        Await.until("the will delivered", WAIT, () -> !seen.isEmpty());
        assertThat(seen).containsExactly("will/pump-2 gone retain=false");
        assertThat(Commands.run("mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-t", "will/#", "-C", "1", "-W", "10",
                "-F", "%r %t %p")).containsExactly("1 will/pump-2 gone");
    }

    @Test
    void pahoSubscriptionOptionsNoLocalAndRetainAsPublished() throws Exception {
        TestGateway gateway = gateway();
        List<String> seen = new CopyOnWriteArrayList<>();
        MqttClient client = paho(gateway, "panel-1");
        MqttSubscription subscription = new MqttSubscription("panel/#", 1);
        subscription.setNoLocal(true);
        subscription.setRetainAsPublished(true);
        client.subscribe(new MqttSubscription[] {subscription},
                new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {(topic, message) ->
                        seen.add(topic + " " + text(message) + " retain=" + message.isRetained())});

        client.publish("panel/own", message("mine", false));
        MqttClient other = paho(gateway, "panel-2");
        other.publish("panel/other", message("theirs", true));

        Await.until("the other client's message", WAIT, () -> !seen.isEmpty());
        assertThat(seen).containsExactly("panel/other theirs retain=true");
    }

    @Test
    void hiveMqRetainedMessagesSurviveAGatewayRestart() throws Exception {
        TestGateway gateway = gateway();
        Mqtt5BlockingClient publisher = hiveMq(gateway, "meter-1");
        publisher.publishWith().topic("meters/meter-1/config").payload("interval=60".getBytes(StandardCharsets.UTF_8))
                .qos(MqttQos.AT_LEAST_ONCE).retain(true).contentType("text/plain").send();
        publisher.disconnect();

        gateway.restart();

        Mqtt5BlockingClient subscriber = hiveMq(gateway, "console-1");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(
                com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            subscriber.subscribeWith().topicFilter("meters/#").qos(MqttQos.AT_LEAST_ONCE).send();
            Optional<Mqtt5Publish> retained = publishes.receive(10, TimeUnit.SECONDS);
            assertThat(retained).isPresent();
            assertThat(retained.get().isRetain()).isTrue();
            assertThat(retained.get().getTopic().toString()).isEqualTo("meters/meter-1/config");
            assertThat(new String(retained.get().getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("interval=60");
            assertThat(retained.get().getContentType()).hasValueSatisfying(t -> assertThat(t.toString())
                    .isEqualTo("text/plain"));
        }
        subscriber.disconnect();
    }

    @Test
    void mqttJsPublishesSubscribesAndGetsRetainedMessagesAndWillsInBothVersions() throws Exception {
        TestGateway gateway = gateway();
        Path script = MqttJs.scenario();
        for (String version : List.of("4", "5")) {
            List<String> output = Commands.run("node", script.toString(), Integer.toString(gateway.mqttPort()), version);
            assertThat(output).as("MQTT.js, protocol version %s", version).containsExactly(
                    "OK retained message with RETAIN 1", "OK publish/subscribe", "OK will of a dead connection",
                    "ALL PASSED");
        }
    }

    // ---- helpers ----

    private TestGateway gateway() throws Exception {
        TestGateway gateway = TestGateway.start(dataDir, Map.of());
        toClose.add(gateway);
        return gateway;
    }

    private static int connections(TestGateway gateway) {
        return ((Number) gateway.gateway().status().get("connections")).intValue();
    }

    private MqttClient paho(TestGateway gateway, String clientId) throws Exception {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + gateway.mqttPort(), clientId, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        client.connect(options);
        toClose.add(() -> {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        });
        return client;
    }

    private Mqtt5BlockingClient hiveMq(TestGateway gateway, String clientId) {
        Mqtt5BlockingClient client = Mqtt5Client.builder().identifier(clientId).serverHost("127.0.0.1")
                .serverPort(gateway.mqttPort()).buildBlocking();
        client.connect();
        return client;
    }

    private static MqttMessage message(String text, boolean retained) {
        MqttMessage message = new MqttMessage(text.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        message.setRetained(retained);
        return message;
    }

    private static String text(MqttMessage message) {
        return new String(message.getPayload(), StandardCharsets.UTF_8);
    }

}
