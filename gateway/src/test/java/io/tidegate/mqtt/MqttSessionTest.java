package io.tidegate.mqtt;

import static io.tidegate.mqtt.MqttTestClient.packetId;
import static io.tidegate.mqtt.MqttTestClient.reasonCode;
import static io.tidegate.mqtt.PacketBytes.hex;
import static io.tidegate.mqtt.Packets.V311;
import static io.tidegate.mqtt.Packets.V5;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.tidegate.config.MqttConfig;
import io.tidegate.outbox.OutboxEntry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A connection's life: keep alive, DISCONNECT, the will, session takeover. */
@ExtendWith(NettyLeakCheck.class)
class MqttSessionTest {

    private static final String WILL_TOPIC = "dt/dev-1/status";

    @TempDir
    Path dataDir;

    @ParameterizedTest(name = "level {0}")
    @ValueSource(ints = {V311, V5})
    @DisplayName("[MQTT-3.12.4-1] PINGREQ is answered with PINGRESP")
    void pingResponse(int level) {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(level, "dev-1");

            client.send(Packets.pingReq());

            assertThat(client.receiveRaw()).isEqualTo(hex("D0 00"));
            assertThat(client.isOpen()).isTrue();
        }
    }

    @ParameterizedTest(name = "level {0}")
    @ValueSource(ints = {V311, V5})
    @DisplayName("[MQTT-3.14.4-3] DISCONNECT closes the connection and discards the will")
    void disconnectDiscardsWill(int level) {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(withWill(level), level);

            client.send(Packets.disconnect());

            client.awaitClosed();
            server.syncRing();
            assertThat(server.storedTopics()).containsExactly(MqttTestServer.SYNC_TOPIC);
        }
    }

    @ParameterizedTest(name = "level {0}")
    @ValueSource(ints = {V311, V5})
    @DisplayName("[MQTT-3.1.2-8] a connection lost without DISCONNECT publishes the will")
    void droppedConnectionPublishesWill(int level) {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(withWill(level), level);

            client.drop();

            assertWillStored(server.awaitStored(1));
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-8] a connection the server closes for a protocol violation publishes the will")
    void protocolViolationPublishesWill() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(withWill(V5), V5);

            client.send(Packets.publish(V5, "dt/dev-1/#").bytes());

            assertThat(reasonCode(client.receive(MqttMessageType.DISCONNECT))).isEqualTo(0x90);
            client.awaitClosed();
            assertWillStored(server.awaitStored(1));
        }
    }

    @Test
    @DisplayName("[MQTT-3.14.4-3] 5.0: DISCONNECT with reason 0x04 (Disconnect with Will Message) publishes the will")
    void disconnectWithWillMessage() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(withWill(V5), V5);

            client.send(Packets.disconnect(0x04));

            client.awaitClosed();
            assertWillStored(server.awaitStored(1));
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.4-3] 5.0: a second CONNECT with the same client id takes over; the first gets DISCONNECT 0x8E")
    void sessionTakeoverV5() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient first = server.connect(V5, "dev-1");
            MqttTestClient second = server.connect(V5, "dev-1");

            assertThat(reasonCode(first.receive(MqttMessageType.DISCONNECT))).isEqualTo(0x8E);
            first.awaitClosed();
            assertThat(second.isOpen()).isTrue();
            assertThat(server.context().sessions().connections()).singleElement()
                    .extracting(MqttConnection::channel).isSameAs(second.channel());

            second.send(Packets.publish(V5, "dt/dev-1/t").qos(1, 1).bytes());
            assertThat(reasonCode(second.receive(MqttMessageType.PUBACK))).isZero();
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.4-2] 3.1.1: a second CONNECT with the same client id closes the first connection")
    void sessionTakeoverV311() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient first = server.connect(V311, "dev-1");
            MqttTestClient second = server.connect(V311, "dev-1");

            first.awaitClosed();
            first.assertNothingReceived();
            assertThat(second.isOpen()).isTrue();
            assertThat(server.context().sessions().connections()).singleElement()
                    .extracting(MqttConnection::channel).isSameAs(second.channel());
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-22] 5.0: with Keep Alive 1 s and no traffic, the server disconnects (0x8D) after 1.5 s")
    void keepAliveTimeout() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(Packets.connect(V5, "dev-1").keepAlive(1), V5);

            // The idle timer runs on the embedded event loop's clock, which is real time: wait for it.
            client.awaitClosed(Duration.ofSeconds(3));
            assertThat(reasonCode(client.receive(MqttMessageType.DISCONNECT))).isEqualTo(0x8D);
        }
    }

    @Test
    @DisplayName("[MQTT 3.1.1 §3.1] a connection that sends no CONNECT within mqtt.connectTimeoutSeconds is closed")
    void connectTimeout() {
        MqttConfig oneSecond = new MqttConfig(4096, 32, 1, 0, 16);
        try (MqttTestServer server = MqttTestServer.start(dataDir, oneSecond)) {
            MqttTestClient client = server.newClient(V311);

            client.awaitClosed(Duration.ofSeconds(3));
            client.assertNothingReceived();
        }
    }

    @Test
    @DisplayName("[MQTT-3.2.2-21] 5.0: a keep alive above mqtt.maxKeepAliveSeconds is replaced by Server Keep Alive")
    void serverKeepAlive() {
        MqttConfig maxThirty = new MqttConfig(4096, 32, 10, 30, 16);
        try (MqttTestServer server = MqttTestServer.start(dataDir, maxThirty)) {
            MqttTestClient client = server.newClient(V5).send(Packets.connect(V5, "dev-1").keepAlive(0).bytes());

            MqttConnAckMessage connAck = (MqttConnAckMessage) client.receive(MqttMessageType.CONNACK);
            MqttProperties.MqttProperty<?> keepAlive = connAck.variableHeader().properties()
                    .getProperty(MqttProperties.MqttPropertyType.SERVER_KEEP_ALIVE.value());
            assertThat(keepAlive).isNotNull();
            assertThat(keepAlive.value()).isEqualTo(30);
        }
    }

    @Test
    @DisplayName("3.1.1 has no Server Keep Alive: mqtt.maxKeepAliveSeconds does not cut a client's own keep alive")
    void maxKeepAliveIsNotForcedOnMqtt311() {
        MqttConfig maxOne = new MqttConfig(4096, 32, 10, 1, 16);
        try (MqttTestServer server = MqttTestServer.start(dataDir, maxOne)) {
            MqttTestClient client = server.newClient(V311).send(Packets.connect(V311, "dev-1").keepAlive(0).bytes());
            client.receive(MqttMessageType.CONNACK);

            // With the cap applied the connection would be closed after 1.5 s without traffic.
            client.assertOpenFor(Duration.ofMillis(2_500));
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-6] a clean session ends with its connection, and its subscriptions with it")
    void subscriptionsEndWithConnection() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient subscriber = server.connect(V5, "sub-1");
            subscriber.send(Packets.subscribe(V5, 1, 1, "dt/#"));
            subscriber.receive(MqttMessageType.SUBACK);

            subscriber.send(Packets.disconnect());

            subscriber.awaitClosed();
            assertThat(server.context().subscriptions().size()).isZero();
            assertThat(server.context().sessions().size()).isZero();
            MqttTestClient publisher = server.connect(V5, "dev-1");
            publisher.send(Packets.publish(V5, "dt/dev-1/t").qos(1, 3).bytes());
            assertThat(packetId(publisher.receive(MqttMessageType.PUBACK))).isEqualTo(3);
        }
    }

    private static Packets.Connect withWill(int level) {
        return Packets.connect(level, "dev-1").will(WILL_TOPIC, "offline", 1, false);
    }

    private static void assertWillStored(List<OutboxEntry> stored) {
        assertThat(stored).hasSize(1);
        OutboxEntry will = stored.get(0);
        assertThat(will.topic()).isEqualTo(WILL_TOPIC);
        assertThat(will.clientId()).isEqualTo("dev-1");
        assertThat(will.qos()).isEqualTo(1);
        assertThat(new String(will.payload(), StandardCharsets.UTF_8)).isEqualTo("offline");
    }
}
