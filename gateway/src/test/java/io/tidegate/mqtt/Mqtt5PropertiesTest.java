package io.tidegate.mqtt;

import static io.tidegate.mqtt.MqttTestClient.packetId;
import static io.tidegate.mqtt.MqttTestClient.reasonCode;
import static io.tidegate.mqtt.Packets.V5;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.tidegate.config.MqttConfig;
import io.tidegate.outbox.OutboxEntry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

/**
 * MQTT 5 properties: Topic Aliases both ways (3.3.2.3.4), Request/Response Information (3.1.2.11.7,
 * 3.2.2.3.15), the Session Expiry answer (3.2.2.3.2) and Subscription Identifiers (3.8.2.1.2, 3.3.4).
 */
@ExtendWith(NettyLeakCheck.class)
class Mqtt5PropertiesTest {

    private static final MqttConfig ALIASES = new MqttConfig(4096, 32, 10, 0, 16, 4, "reply/");

    @TempDir
    Path dataDir;

    @Test
    @DisplayName("3.3.2.3.4: an alias set up with a topic stands for it in later PUBLISHes with an empty topic")
    void aliasResolvesToItsTopic() {
        try (MqttTestServer server = MqttTestServer.start(dataDir, ALIASES)) {
            MqttTestClient client = server.connect(V5, "dev-1");

            client.send(Packets.publish(V5, "dt/dev-1/temperature").topicAlias(2).qos(1, 1).payload("a").bytes());
            assertThat(packetId(client.receive(MqttMessageType.PUBACK))).isEqualTo(1);
            client.send(Packets.publish(V5, "").topicAlias(2).qos(1, 2).payload("b").bytes());
            assertThat(packetId(client.receive(MqttMessageType.PUBACK))).isEqualTo(2);
            client.send(Packets.publish(V5, "dt/dev-1/humidity").topicAlias(2).qos(1, 3).payload("c").bytes());
            client.receive(MqttMessageType.PUBACK);
            client.send(Packets.publish(V5, "").topicAlias(2).qos(1, 4).payload("d").bytes());
            client.receive(MqttMessageType.PUBACK);

            assertThat(server.stored()).extracting(OutboxEntry::topic).containsExactly("dt/dev-1/temperature",
                    "dt/dev-1/temperature", "dt/dev-1/humidity", "dt/dev-1/humidity");
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.2-8, -9] an alias of 0 or above Topic Alias Maximum gets DISCONNECT 0x94")
    void aliasOutOfRange() {
        try (MqttTestServer server = MqttTestServer.start(dataDir, ALIASES)) {
            MqttConnAckMessage connAck;
            MqttTestClient client = server.newClient(V5).send(Packets.connect(V5, "dev-1").bytes());
            connAck = (MqttConnAckMessage) client.receive(MqttMessageType.CONNACK);
            assertThat(connAck.variableHeader().properties()
                    .getProperty(MqttProperties.MqttPropertyType.TOPIC_ALIAS_MAXIMUM.value()).value()).isEqualTo(4);

            client.send(Packets.publish(V5, "dt/dev-1/x").topicAlias(5).qos(1, 1).payload("a").bytes());

            assertThat(reasonCode(client.receive(MqttMessageType.DISCONNECT))).isEqualTo(0x94);
            client.awaitClosed();
        }
    }

    @Test
    @DisplayName("3.3.2.3.4: an empty topic with an alias never set up is a Protocol Error, DISCONNECT 0x82")
    void unknownAlias() {
        try (MqttTestServer server = MqttTestServer.start(dataDir, ALIASES)) {
            MqttTestClient client = server.connect(V5, "dev-1");

            client.send(Packets.publish(V5, "").topicAlias(3).qos(1, 1).payload("a").bytes());

            assertThat(reasonCode(client.receive(MqttMessageType.DISCONNECT))).isEqualTo(0x82);
            client.awaitClosed();
            assertThat(server.stored()).isEmpty();
        }
    }

    @ParameterizedTest(name = "asked {0} s: CONNACK says {1}")
    @CsvSource({"3600, 60", "30, none", "0, none"})
    @DisplayName("3.2.2.3.2: a Session Expiry Interval above mqtt.maxSessionExpirySeconds is capped, and CONNACK says so")
    void sessionExpiryAboveTheMaximumIsCapped(long asked, String announced) {
        try (MqttTestServer server = MqttTestServer.start(dataDir, ALIASES.withSessions(60, 100))) {
            MqttTestClient client = server.newClient(V5).send(Packets.connect(V5, "dev-1").sessionExpiry(asked).bytes());
            MqttConnAckMessage connAck = (MqttConnAckMessage) client.receive(MqttMessageType.CONNACK);

            assertThat(connAck.variableHeader().isSessionPresent()).isFalse();
            MqttProperties.MqttProperty<?> expiry = connAck.variableHeader().properties()
                    .getProperty(MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value());
            assertThat(expiry == null ? "none" : String.valueOf(expiry.value())).isEqualTo(announced);
        }
    }

    @Test
    @DisplayName("3.2.2.3.15: a client that requests Response Information gets the configured prefix with its id")
    void responseInformation() {
        try (MqttTestServer server = MqttTestServer.start(dataDir, ALIASES)) {
            MqttTestClient asking = server.newClient(V5)
                    .send(Packets.connect(V5, "dev-1").requestResponseInformation().bytes());
            MqttConnAckMessage connAck = (MqttConnAckMessage) asking.receive(MqttMessageType.CONNACK);
            assertThat(connAck.variableHeader().properties()
                    .getProperty(MqttProperties.MqttPropertyType.RESPONSE_INFORMATION.value()).value())
                    .isEqualTo("reply/dev-1/");

            MqttTestClient notAsking = server.newClient(V5).send(Packets.connect(V5, "dev-2").bytes());
            MqttConnAckMessage plain = (MqttConnAckMessage) notAsking.receive(MqttMessageType.CONNACK);
            assertThat(plain.variableHeader().properties()
                    .getProperty(MqttProperties.MqttPropertyType.RESPONSE_INFORMATION.value())).isNull();
        }
    }

    // ---- Subscription Identifiers (3.8.2.1.2, 3.3.4) ----

    @Test
    @DisplayName("[MQTT-3.3.4-3, -4] one PUBLISH for overlapping subscriptions carries each of their Subscription Identifiers")
    void overlappingSubscriptionsGiveEveryIdentifier() {
        try (MqttTestServer server = MqttTestServer.start(dataDir, ALIASES)) {
            MqttTestClient subscriber = server.connect(V5, "sub-1");
            subscriber.send(Packets.subscribeWithId(1, 7, 1, "dt/+/temp"));
            subscriber.receive(MqttMessageType.SUBACK);
            subscriber.send(Packets.subscribeWithId(2, 300, 0, "dt/dev-1/#"));
            subscriber.receive(MqttMessageType.SUBACK);
            subscriber.send(Packets.subscribe(V5, 3, 0, "dt/dev-1/temp"));
            subscriber.receive(MqttMessageType.SUBACK);
            MqttTestClient publisher = server.connect(V5, "dev-1");

            publisher.send(Packets.publish(V5, "dt/dev-1/temp").qos(1, 1).payload("21").bytes());

            MqttPublishMessage delivered = (MqttPublishMessage) subscriber.receive(MqttMessageType.PUBLISH);
            assertThat(delivered.fixedHeader().qosLevel().value()).as("the highest granted QoS").isEqualTo(1);
            assertThat(subscriptionIds(delivered)).containsExactlyInAnyOrder(7, 300);
            subscriber.send(Packets.pubAck(packetId(delivered)));
            subscriber.assertNothingReceived();
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.4-5] a subscription without an identifier gets none; re-subscribing replaces the identifier")
    void identifierFollowsTheSubscription() {
        try (MqttTestServer server = MqttTestServer.start(dataDir, ALIASES)) {
            MqttTestClient subscriber = server.connect(V5, "sub-1");
            subscriber.send(Packets.subscribeWithId(1, 5, 0, "dt/dev-1/a"));
            subscriber.receive(MqttMessageType.SUBACK);
            subscriber.send(Packets.subscribe(V5, 2, 0, "dt/dev-1/b"));
            subscriber.receive(MqttMessageType.SUBACK);
            MqttTestClient publisher = server.connect(V5, "dev-1");

            publisher.send(Packets.publish(V5, "dt/dev-1/a").payload("1").bytes());
            publisher.send(Packets.publish(V5, "dt/dev-1/b").payload("2").bytes());
            assertThat(subscriptionIds((MqttPublishMessage) subscriber.receive(MqttMessageType.PUBLISH))).containsExactly(5);
            assertThat(subscriptionIds((MqttPublishMessage) subscriber.receive(MqttMessageType.PUBLISH))).isEmpty();

            subscriber.send(Packets.subscribeWithId(3, 6, 0, "dt/dev-1/a"));
            subscriber.receive(MqttMessageType.SUBACK);
            publisher.send(Packets.publish(V5, "dt/dev-1/a").payload("3").bytes());
            assertThat(subscriptionIds((MqttPublishMessage) subscriber.receive(MqttMessageType.PUBLISH))).containsExactly(6);
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.4-3] a retained message sent for a new subscription carries its Subscription Identifier")
    void retainedMessageCarriesTheIdentifier() {
        try (MqttTestServer server = MqttTestServer.start(dataDir, ALIASES)) {
            MqttTestClient publisher = server.connect(V5, "dev-1");
            publisher.send(Packets.publish(V5, "dt/dev-1/state").retain().qos(1, 1).payload("on").bytes());
            publisher.receive(MqttMessageType.PUBACK);
            MqttTestClient subscriber = server.connect(V5, "sub-1");

            subscriber.send(Packets.subscribeWithId(1, 42, 1, "dt/+/state"));
            subscriber.receive(MqttMessageType.SUBACK);

            MqttPublishMessage retained = (MqttPublishMessage) subscriber.receive(MqttMessageType.PUBLISH);
            assertThat(retained.fixedHeader().isRetain()).isTrue();
            assertThat(subscriptionIds(retained)).containsExactly(42);
        }
    }

    @Test
    @DisplayName("3.8.2.1.2: a Subscription Identifier of 0 is a Protocol Error, DISCONNECT 0x82")
    void zeroSubscriptionIdentifier() {
        try (MqttTestServer server = MqttTestServer.start(dataDir, ALIASES)) {
            MqttTestClient subscriber = server.connect(V5, "sub-1");

            subscriber.send(Packets.subscribeWithId(1, 0, 0, "dt/#"));

            assertThat(reasonCode(subscriber.receive(MqttMessageType.DISCONNECT))).isEqualTo(0x82);
            subscriber.awaitClosed();
            assertThat(server.context().subscriptions().size()).isZero();
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.4-6] a PUBLISH from a client with a Subscription Identifier is a Protocol Error, DISCONNECT 0x82")
    void subscriptionIdentifierInPublish() {
        try (MqttTestServer server = MqttTestServer.start(dataDir, ALIASES)) {
            MqttTestClient client = server.connect(V5, "dev-1");

            client.send(Packets.publish(V5, "dt/dev-1/x").subscriptionId(3).qos(1, 1).payload("a").bytes());

            assertThat(reasonCode(client.receive(MqttMessageType.DISCONNECT))).isEqualTo(0x82);
            client.awaitClosed();
            assertThat(server.stored()).isEmpty();
        }
    }

    // ---- Topic Aliases from the server (3.3.2.3.4) ----

    @Test
    @DisplayName("[MQTT-3.3.2-11] [MQTT-3.1.2-26] to a client with Topic Alias Maximum 2 the server sends aliases 1..2, topics only once")
    void outboundAliasesSaveTheTopic() {
        try (MqttTestServer server = MqttTestServer.start(dataDir, ALIASES)) {
            MqttTestClient subscriber = server.connect(Packets.connect(V5, "sub-1").topicAliasMaximum(2), V5);
            subscriber.send(Packets.subscribe(V5, 1, 0, "dt/dev-1/#"));
            subscriber.receive(MqttMessageType.SUBACK);
            MqttTestClient publisher = server.connect(V5, "dev-1");
            String[] topics = {"dt/dev-1/a", "dt/dev-1/a", "dt/dev-1/b", "dt/dev-1/a", "dt/dev-1/c", "dt/dev-1/c",
                    "dt/dev-1/a"};
            for (String topic : topics) {
                publisher.send(Packets.publish(V5, topic).payload("x").bytes());
            }

            // a→1, b→2, c replaces a's alias 1 (round robin), so a is sent in full again, taking alias 2.
            String[] wireTopics = {"dt/dev-1/a", "", "dt/dev-1/b", "", "dt/dev-1/c", "", "dt/dev-1/a"};
            int[] aliases = {1, 1, 2, 1, 1, 1, 2};
            for (int i = 0; i < topics.length; i++) {
                MqttPublishMessage delivered = (MqttPublishMessage) subscriber.receive(MqttMessageType.PUBLISH);
                assertThat(delivered.variableHeader().topicName()).as("topic of delivery %d", i).isEqualTo(wireTopics[i]);
                assertThat(delivered.variableHeader().properties()
                        .getProperty(MqttProperties.MqttPropertyType.TOPIC_ALIAS.value()).value())
                        .as("alias of delivery %d", i).isEqualTo(aliases[i]);
            }
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-27] without a Topic Alias Maximum from the client the server sends no aliases")
    void noOutboundAliasesByDefault() {
        try (MqttTestServer server = MqttTestServer.start(dataDir, ALIASES)) {
            MqttTestClient subscriber = server.connect(V5, "sub-1");
            subscriber.send(Packets.subscribe(V5, 1, 0, "dt/dev-1/#"));
            subscriber.receive(MqttMessageType.SUBACK);
            MqttTestClient publisher = server.connect(V5, "dev-1");
            publisher.send(Packets.publish(V5, "dt/dev-1/a").payload("x").bytes());
            publisher.send(Packets.publish(V5, "dt/dev-1/a").payload("y").bytes());

            for (int i = 0; i < 2; i++) {
                MqttPublishMessage delivered = (MqttPublishMessage) subscriber.receive(MqttMessageType.PUBLISH);
                assertThat(delivered.variableHeader().topicName()).isEqualTo("dt/dev-1/a");
                assertThat(delivered.variableHeader().properties()
                        .getProperty(MqttProperties.MqttPropertyType.TOPIC_ALIAS.value())).isNull();
            }
        }
    }

    private static java.util.List<Integer> subscriptionIds(MqttPublishMessage message) {
        return message.variableHeader().properties()
                .getProperties(MqttProperties.MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value()).stream()
                .map(p -> (Integer) p.value()).toList();
    }
}
