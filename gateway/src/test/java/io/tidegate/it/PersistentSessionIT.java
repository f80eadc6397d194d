package io.tidegate.it;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import io.tidegate.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions that outlive their connection, with other people's MQTT clients on the gateway's plain
 * listener: the HiveMQ client (MQTT 5, Clean Start 0 with a Session Expiry, server topic aliases),
 * Eclipse Paho (MQTT 5 Subscription Identifiers) and Debian's mosquitto_sub (MQTT 3.1.1 Clean
 * Session 0), across reconnects and a graceful gateway restart.
 */
class PersistentSessionIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dataDir;

    @RegisterExtension
    final Cleanup toClose = new Cleanup();

    @Test
    void hiveMqSessionGetsWhatWasPublishedWhileItWasAwayAlsoAcrossARestart() throws Exception {
        TestGateway gateway = gateway();
        Mqtt5BlockingClient subscriber = hiveMq(gateway, "console-1");
        assertThat(connect(subscriber).isSessionPresent()).isFalse();
        subscriber.subscribeWith().topicFilter("alerts/#").qos(MqttQos.AT_LEAST_ONCE).send();
        subscriber.disconnect();

        Mqtt5BlockingClient publisher = hiveMqPublisher(gateway, "pump-1");
        for (int i = 1; i <= 5; i++) {
            publisher.publishWith().topic("alerts/pump-1").payload(("a" + i).getBytes(StandardCharsets.UTF_8))
                    .qos(MqttQos.AT_LEAST_ONCE).send();
        }
        assertThat(received(subscriber, 5)).containsExactly("a1", "a2", "a3", "a4", "a5");
        subscriber.disconnect();

        for (int i = 6; i <= 8; i++) {
            publisher.publishWith().topic("alerts/pump-1").payload(("a" + i).getBytes(StandardCharsets.UTF_8))
                    .qos(MqttQos.AT_LEAST_ONCE).send();
        }
        publisher.disconnect();
        Await.until("/api/status shows the offline session holding three messages", WAIT, () -> {
            Map<?, ?> sessions = (Map<?, ?>) gateway.gateway().status().get("sessions");
            return ((Number) sessions.get("offline")).intValue() == 1
                    && ((Number) sessions.get("queuedMessages")).longValue() == 3;
        });
        gateway.restart(); // graceful: the offline session and its three messages are saved and loaded

        assertThat(received(subscriber, 3)).containsExactly("a6", "a7", "a8");
        subscriber.disconnect();
    }

    @Test
    void hiveMqClientReadsTheTopicAliasesTheServerSends() throws Exception {
        TestGateway gateway = gateway();
        Mqtt5BlockingClient subscriber = hiveMq(gateway, "dash-1");
        subscriber.connectWith().restrictions().topicAliasMaximum(2).applyRestrictions().send();
        toClose.add(subscriber::disconnect);
        Mqtt5BlockingClient publisher = hiveMqPublisher(gateway, "meter-7");
        List<String> topics = List.of("meters/a", "meters/b", "meters/a", "meters/c", "meters/a", "meters/b");

        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber.subscribeWith().topicFilter("meters/#").qos(MqttQos.AT_LEAST_ONCE).send();
            for (String topic : topics) {
                publisher.publishWith().topic(topic).payload(topic.getBytes(StandardCharsets.UTF_8))
                        .qos(MqttQos.AT_LEAST_ONCE).send();
            }
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < topics.size(); i++) {
                Mqtt5Publish publish = publishes.receive(10, TimeUnit.SECONDS).orElseThrow();
                seen.add(publish.getTopic() + "=" + new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
            assertThat(seen).containsExactly(topics.stream().map(t -> t + "=" + t).toArray(String[]::new));
        }
        publisher.disconnect();
    }

    @Test
    void pahoReceivesTheSubscriptionIdentifiersOfOverlappingSubscriptions() throws Exception {
        TestGateway gateway = gateway();
        MqttAsyncClient client = new MqttAsyncClient("tcp://127.0.0.1:" + gateway.mqttPort(), "panel-9",
                new MemoryPersistence());
        List<List<Integer>> ids = new CopyOnWriteArrayList<>();
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                ids.add(message.getProperties().getSubscriptionIdentifiers());
            }

            @Override
            public void disconnected(MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        client.connect(options).waitForCompletion(10_000);
        toClose.add(() -> {
            client.disconnect().waitForCompletion(10_000);
            client.close();
        });
        subscribeWithId(client, "rooms/+/temp", 11);
        subscribeWithId(client, "rooms/kitchen/#", 12);

        MqttMessage message = new MqttMessage("21".getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        client.publish("rooms/kitchen/temp", message).waitForCompletion(10_000);

        Await.until("the message", WAIT, () -> !ids.isEmpty());
        assertThat(ids).hasSize(1);
        assertThat(ids.get(0)).containsExactlyInAnyOrder(11, 12);
    }

    @Test
    void mosquittoSubWithCleanSessionZeroGetsMessagesQueuedWhileItWasAway() throws Exception {
        TestGateway gateway = gateway();
        String port = Integer.toString(gateway.mqttPort());
        // -c: Clean Session 0; -E: exit once subscribed.
        assertThat(Commands.run("mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-V", "mqttv311", "-c", "-i", "logger-1",
                "-q", "1", "-t", "logs/#", "-E")).isEmpty();
        for (String line : List.of("one", "two", "three")) {
            assertThat(Commands.run("mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-q", "1", "-t", "logs/app", "-m", line))
                    .isEmpty();
        }

        assertThat(Commands.run("mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-V", "mqttv311", "-c", "-i", "logger-1",
                "-q", "1", "-t", "logs/#", "-C", "3", "-W", "10")).containsExactly("one", "two", "three");
    }

    // ---- helpers ----

    private TestGateway gateway() throws Exception {
        TestGateway gateway = TestGateway.start(dataDir, Map.of());
        toClose.add(gateway);
        return gateway;
    }

    /** A client that asks for a session kept an hour after it disconnects. */
    private Mqtt5BlockingClient hiveMq(TestGateway gateway, String clientId) {
        return Mqtt5Client.builder().identifier(clientId).serverHost("127.0.0.1").serverPort(gateway.mqttPort())
                .buildBlocking();
    }

    private Mqtt5BlockingClient hiveMqPublisher(TestGateway gateway, String clientId) {
        Mqtt5BlockingClient client = hiveMq(gateway, clientId);
        client.connect();
        return client;
    }

    private static Mqtt5ConnAck connect(Mqtt5BlockingClient client) {
        return client.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
    }

    /** Reconnects with Clean Start 0, which must find the session, and returns the next {@code count} payloads. */
    private static List<String> received(Mqtt5BlockingClient subscriber, int count) throws InterruptedException {
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            assertThat(connect(subscriber).isSessionPresent()).as("Session Present").isTrue();
            List<String> payloads = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Optional<Mqtt5Publish> publish = publishes.receive(10, TimeUnit.SECONDS);
                assertThat(publish).as("message %d of %d", i + 1, count).isPresent();
                payloads.add(new String(publish.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
            return payloads;
        }
    }

    private static void subscribeWithId(MqttAsyncClient client, String filter, int id) throws Exception {
        MqttProperties properties = new MqttProperties();
        properties.setSubscriptionIdentifier(id);
        client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, 1)}, null, null, properties)
                .waitForCompletion(10_000);
    }

}
