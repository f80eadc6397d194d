package io.tidegate.mqtt;

import static io.tidegate.mqtt.MqttTestClient.reasonCode;
import static io.tidegate.mqtt.PacketBytes.hex;
import static io.tidegate.mqtt.Packets.V311;
import static io.tidegate.mqtt.Packets.V5;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

/** CONNECT and CONNACK, driven with hand-encoded bytes through the real pipeline. */
@ExtendWith(NettyLeakCheck.class)
class MqttConnectTest {

    /** {@link MqttTestServer#LIMITS}: client ids up to 32 characters. */
    private static final String LONGEST_CLIENT_ID = "c".repeat(32);

    @TempDir
    Path dataDir;

    @Test
    @DisplayName("[MQTT-3.1.4-4] a 3.1.1 CONNECT is accepted with CONNACK 0")
    void acceptsV311() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.newClient(V311).send(Packets.connect(V311, "dev-1").bytes());

            assertThat(client.receiveRaw()).isEqualTo(hex("20 02 00 00"));
            assertThat(client.isOpen()).isTrue();
            assertThat(server.context().sessions().size()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("[MQTT 5.0 §3.2.2.3] a 5.0 CONNECT is accepted; CONNACK announces Maximum Packet Size and Receive Maximum")
    void acceptsV5WithLimits() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.newClient(V5).send(Packets.connect(V5, "dev-1").bytes());

            MqttConnAckMessage connAck = (MqttConnAckMessage) client.receive(MqttMessageType.CONNACK);
            assertThat(reasonCode(connAck)).isZero();
            MqttProperties properties = connAck.variableHeader().properties();
            assertThat(property(properties, MqttPropertyType.MAXIMUM_PACKET_SIZE)).isEqualTo(4096);
            assertThat(property(properties, MqttPropertyType.RECEIVE_MAXIMUM)).isEqualTo(16);
            assertThat(property(properties, MqttPropertyType.RETAIN_AVAILABLE)).isEqualTo(1);
            assertThat(property(properties, MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE)).isEqualTo(1);
            assertThat(property(properties, MqttPropertyType.TOPIC_ALIAS_MAXIMUM)).isEqualTo(16);
            assertThat(property(properties, MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE)).isEqualTo(1);
            assertThat(property(properties, MqttPropertyType.SESSION_EXPIRY_INTERVAL)).isNull();
            assertThat(property(properties, MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER)).isNull();
            assertThat(client.isOpen()).isTrue();
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.3-7] an empty 5.0 client id gets an Assigned Client Identifier in CONNACK")
    void assignsClientId() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.newClient(V5).send(Packets.connect(V5, "").bytes());

            MqttConnAckMessage connAck = (MqttConnAckMessage) client.receive(MqttMessageType.CONNACK);
            assertThat(reasonCode(connAck)).isZero();
            Object assigned = property(connAck.variableHeader().properties(),
                    MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER);
            assertThat(assigned).isInstanceOf(String.class).asString().isNotEmpty();
            assertThat(server.context().sessions().connections()).singleElement()
                    .extracting(MqttConnection::clientId).isEqualTo(assigned);
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.3-6] an empty 3.1.1 client id with CleanSession=1 is accepted")
    void acceptsEmptyClientIdWithCleanSession() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.newClient(V311).send(Packets.connect(V311, "").bytes());

            assertThat(client.receiveRaw()).isEqualTo(hex("20 02 00 00"));
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.3-8] an empty 3.1.1 client id with CleanSession=0 is refused with CONNACK 0x02")
    void refusesEmptyClientIdWithoutCleanSession() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.newClient(V311)
                    .send(Packets.connect(V311, "").cleanStart(false).bytes());

            assertThat(client.receiveRaw()).isEqualTo(hex("20 02 00 02"));
            client.awaitClosed();
            assertThat(server.context().sessions().size()).isZero();
        }
    }

    @ParameterizedTest(name = "level {0}")
    @ValueSource(ints = {V311, V5})
    @DisplayName("[MQTT-3.1.3-5] a client id of exactly mqtt.maxClientIdLength characters is accepted")
    void acceptsLongestClientId(int level) {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            server.connect(level, LONGEST_CLIENT_ID);

            assertThat(server.context().sessions().size()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.3-9] a 3.1.1 client id longer than mqtt.maxClientIdLength is refused with CONNACK 0x02")
    void refusesTooLongClientIdV311() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.newClient(V311)
                    .send(Packets.connect(V311, LONGEST_CLIENT_ID + "x").bytes());

            assertThat(client.receiveRaw()).isEqualTo(hex("20 02 00 02"));
            client.awaitClosed();
            assertThat(server.context().sessions().size()).isZero();
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.3-8] a 5.0 client id longer than mqtt.maxClientIdLength is refused with CONNACK 0x85")
    void refusesTooLongClientIdV5() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.newClient(V5).send(Packets.connect(V5, LONGEST_CLIENT_ID + "x").bytes());

            assertThat(reasonCode(client.receive(MqttMessageType.CONNACK))).isEqualTo(0x85);
            client.awaitClosed();
            assertThat(server.context().sessions().size()).isZero();
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-2] an unknown protocol level (7) is answered with CONNACK 0x01, then closed")
    void refusesUnknownProtocolLevel() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.newClient(V311).send(Packets.connect(7, "dev-1").bytes());

            // The 3.1.1 format, which a client of any version can read.
            assertThat(client.receiveRaw()).isEqualTo(hex("20 02 00 01"));
            client.awaitClosed();
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-1] a wrong protocol name is refused with CONNACK 0x01 and the connection closed")
    void refusesWrongProtocolName() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.newClient(V311)
                    .send(Packets.connect(V311, "dev-1").protocolName("MQTX").bytes());

            assertThat(client.receiveRaw()).isEqualTo(hex("20 02 00 01"));
            client.awaitClosed();
            assertThat(server.context().sessions().size()).isZero();
        }
    }

    @Test
    @DisplayName("[MQTT-4.8.0-1] a Remaining Length of more than four bytes closes a connection without CONNACK")
    void closesOnBadRemainingLength() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.newClient(V311).send(hex("10 FF FF FF FF 01"));

            client.awaitClosed();
            client.assertNothingReceived();
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-3] a 3.1.1 CONNECT with the reserved flag set closes the connection without CONNACK")
    void closesV311OnReservedFlag() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.newClient(V311)
                    .send(Packets.connect(V311, "dev-1").reservedFlag().bytes());

            client.awaitClosed();
            client.assertNothingReceived();
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-3] a 5.0 CONNECT with the reserved flag set is refused with CONNACK 0x81 (Malformed Packet)")
    void refusesV5OnReservedFlag() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.newClient(V5).send(Packets.connect(V5, "dev-1").reservedFlag().bytes());

            assertThat(reasonCode(client.receive(MqttMessageType.CONNACK))).isEqualTo(0x81);
            client.awaitClosed();
        }
    }

    @Test
    @DisplayName("[MQTT-4.13.1-1] a 5.0 CONNECT whose Remaining Length covers more than its fields is refused with CONNACK 0x81")
    void refusesV5OnRemainingLengthMismatch() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.newClient(V5)
                    .send(Packets.connect(V5, "dev-1").trailing(hex("00 00 00")).bytes());

            assertThat(reasonCode(client.receive(MqttMessageType.CONNACK))).isEqualTo(0x81);
            client.awaitClosed();
            assertThat(server.context().sessions().size()).isZero();
        }
    }

    @Test
    @DisplayName("[MQTT 5.0 §3.2.2.2] a 5.0 CONNECT larger than mqtt.maxPacketSizeBytes is refused with CONNACK 0x95")
    void refusesOversizedConnectV5() {
        try (MqttTestServer server = MqttTestServer.start(dataDir, MqttTestServer.limits(1024, 32, 16))) {
            MqttTestClient client = server.newClient(V5)
                    .send(Packets.connect(V5, "dev-1").will("dt/dev-1/will", "x".repeat(2000), 1, false).bytes());

            assertThat(reasonCode(client.receive(MqttMessageType.CONNACK))).isEqualTo(0x95);
            client.awaitClosed();
        }
    }

    @Test
    @DisplayName("[MQTT-4.8.0-1] a 3.1.1 CONNECT larger than mqtt.maxPacketSizeBytes closes the connection")
    void closesOnOversizedConnectV311() {
        try (MqttTestServer server = MqttTestServer.start(dataDir, MqttTestServer.limits(1024, 32, 16))) {
            MqttTestClient client = server.newClient(V311)
                    .send(Packets.connect(V311, "dev-1").will("dt/dev-1/will", "x".repeat(2000), 1, false).bytes());

            client.awaitClosed();
            client.assertNothingReceived();
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.0-1] a PUBLISH before CONNECT closes the connection without an answer")
    void closesOnPublishBeforeConnect() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.newClient(V311)
                    .send(Packets.publish(V311, "dt/dev-1/t").qos(1, 1).payload("early").bytes());

            client.awaitClosed();
            client.assertNothingReceived();
            server.syncRing();
            assertThat(server.storedTopics()).containsExactly(MqttTestServer.SYNC_TOPIC);
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.0-2] a second CONNECT on a 5.0 connection gets DISCONNECT 0x82 (Protocol Error)")
    void disconnectsV5OnSecondConnect() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(V5, "dev-1");

            client.send(Packets.connect(V5, "dev-1").bytes());

            assertThat(reasonCode(client.receive(MqttMessageType.DISCONNECT))).isEqualTo(0x82);
            client.awaitClosed();
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.0-2] a second CONNECT on a 3.1.1 connection closes it")
    void closesV311OnSecondConnect() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(V311, "dev-1");

            client.send(Packets.connect(V311, "dev-1").bytes());

            client.awaitClosed();
            client.assertNothingReceived();
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-14] a 3.1.1 CONNECT with Will QoS 3 closes the connection")
    void closesV311OnWillQos3() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.newClient(V311)
                    .send(Packets.connect(V311, "dev-1").will("dt/dev-1/will", "gone", 3, false).bytes());

            client.awaitClosed();
            client.assertNothingReceived();
            assertThat(server.context().sessions().size()).isZero();
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-13] a 3.1.1 CONNECT with Will QoS set but no Will Flag closes the connection")
    void closesV311OnWillQosWithoutWill() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.newClient(V311).send(Packets.connect(V311, "dev-1").strayWillQos(1).bytes());

            client.awaitClosed();
            client.assertNothingReceived();
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-12] a 5.0 CONNECT with Will QoS 3 is refused with CONNACK 0x81 (Malformed Packet)")
    void refusesV5OnWillQos3() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.newClient(V5)
                    .send(Packets.connect(V5, "dev-1").will("dt/dev-1/will", "gone", 3, false).bytes());

            assertThat(reasonCode(client.receive(MqttMessageType.CONNACK))).isEqualTo(0x81);
            client.awaitClosed();
        }
    }

    @Test
    @DisplayName("[MQTT-3.2.2-13] 5.0: Retain Available is 1, so a CONNECT with Will Retain is accepted")
    void acceptsV5WillRetain() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.newClient(V5)
                    .send(Packets.connect(V5, "dev-1").will("dt/dev-1/will", "gone", 1, true).bytes());

            assertThat(reasonCode(client.receive(MqttMessageType.CONNACK))).isEqualTo(0);
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.4-2] 5.0: a will topic outside the client's publish policy is refused with CONNACK 0x87")
    void refusesUnauthorizedWill() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.newClient(V5)
                    .send(Packets.connect(V5, "dev-1").will("dt/dev-2/will", "gone", 1, false).bytes());

            assertThat(reasonCode(client.receive(MqttMessageType.CONNACK))).isEqualTo(0x87);
            client.awaitClosed();
        }
    }

    @Test
    @DisplayName("[MQTT 5.0 §3.1.2.11.3] a zero Receive Maximum is a Protocol Error, refused with CONNACK 0x82")
    void refusesZeroReceiveMaximum() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.newClient(V5).send(Packets.connect(V5, "dev-1").receiveMaximum(0).bytes());

            assertThat(reasonCode(client.receive(MqttMessageType.CONNACK))).isEqualTo(0x82);
            client.awaitClosed();
        }
    }

    @Test
    @DisplayName("[MQTT-4.12.0-1] 5.0: enhanced authentication is not supported, refused with CONNACK 0x8C")
    void refusesAuthenticationMethod() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.newClient(V5)
                    .send(Packets.connect(V5, "dev-1").authenticationMethod("SCRAM-SHA-1").bytes());

            MqttMessage connAck = client.receive(MqttMessageType.CONNACK);
            assertThat(reasonCode(connAck)).isEqualTo(0x8C);
            client.awaitClosed();
        }
    }

    @ParameterizedTest(name = "level {0}")
    @ValueSource(ints = {Packets.V311, Packets.V5})
    @DisplayName("[MQTT-1.5.4-1] a client id of ill-formed UTF-8 is malformed: CONNACK 0x81 (5.0) or a close (3.1.1)")
    void illFormedClientId(int level) {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            PacketBytes body = new PacketBytes().utf8("MQTT").u8(level).u8(0x02).u16(60);
            if (level == Packets.V5) {
                body.properties(new PacketBytes());
            }
            body.binary(PacketBytes.hex("64 65 76 ED A0 80")); // "dev" + an encoded surrogate
            MqttTestClient client = server.newClient(level).send(PacketBytes.packet(0x10, body));

            if (level == Packets.V5) {
                assertThat(reasonCode(client.receive(MqttMessageType.CONNACK))).isEqualTo(0x81);
            }
            client.awaitClosed();
            assertThat(server.context().sessions().size()).isZero();
        }
    }

    @Test
    @DisplayName("[MQTT-1.5.4-2] 5.0: a will topic with U+0000 is malformed: CONNACK 0x81")
    void willTopicWithNull() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.newClient(Packets.V5)
                    .send(Packets.connect(Packets.V5, "dev-1").will("dt/dev-1/\u0000", "x", 0, false).bytes());

            assertThat(reasonCode(client.receive(MqttMessageType.CONNACK))).isEqualTo(0x81);
            client.awaitClosed();
        }
    }

    private static Object property(MqttProperties properties, MqttPropertyType type) {
        MqttProperties.MqttProperty<?> property = properties.getProperty(type.value());
        return property == null ? null : property.value();
    }
}
