package io.tidegate.mqtt;

import static io.tidegate.mqtt.MqttTestClient.packetId;
import static io.tidegate.mqtt.MqttTestClient.reasonCode;
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

import java.nio.file.Path;

/** MQTT 5 inbound Topic Aliases (3.3.2.3.4), Request/Response Information (3.1.2.11.7, 3.2.2.3.15) and the Session Expiry answer. */
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

    @Test
    @DisplayName("3.2.2.3.2: a client asking for a session that outlives the connection is told Session Expiry 0")
    void sessionExpiryIsOverriddenToZero() {
        try (MqttTestServer server = MqttTestServer.start(dataDir, ALIASES)) {
            MqttTestClient client = server.newClient(V5).send(Packets.connect(V5, "dev-1").sessionExpiry(3600).bytes());
            MqttConnAckMessage connAck = (MqttConnAckMessage) client.receive(MqttMessageType.CONNACK);

            assertThat(connAck.variableHeader().isSessionPresent()).isFalse();
            assertThat(connAck.variableHeader().properties()
                    .getProperty(MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value()).value()).isEqualTo(0);
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
}
