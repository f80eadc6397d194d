package io.tidegate.mqtt;

import static io.tidegate.mqtt.MqttTestClient.packetId;
import static io.tidegate.mqtt.MqttTestClient.reasonCode;
import static io.tidegate.mqtt.PacketBytes.hex;
import static io.tidegate.mqtt.Packets.V311;
import static io.tidegate.mqtt.Packets.V5;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.tidegate.outbox.OutboxEntry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** PUBLISH from a device into the outbox: acknowledgements, QoS 2, authorization and the limits. */
@ExtendWith(NettyLeakCheck.class)
class MqttPublishTest {

    @TempDir
    Path dataDir;

    @ParameterizedTest(name = "level {0}")
    @ValueSource(ints = {V311, V5})
    @DisplayName("[MQTT-4.3.2-2] a QoS 1 PUBLISH is acknowledged with its packet id once it is in the outbox")
    void qos1AcknowledgedOnceStored(int level) {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(level, "dev-1");

            client.send(Packets.publish(level, "dt/dev-1/temp").qos(1, 7).payload("21.5").bytes());

            client.assertNoReplyYet(); // only the ring's ack stage, after the persist stage, answers
            MqttMessage pubAck = client.receive(MqttMessageType.PUBACK);
            assertThat(packetId(pubAck)).isEqualTo(7);
            assertThat(reasonCode(pubAck)).isZero();
            assertThat(server.outbox().stats().appendedEntries()).isEqualTo(1);
            OutboxEntry entry = single(server.stored());
            assertThat(entry.topic()).isEqualTo("dt/dev-1/temp");
            assertThat(entry.clientId()).isEqualTo("dev-1");
            assertThat(entry.qos()).isEqualTo(1);
            assertThat(new String(entry.payload(), StandardCharsets.UTF_8)).isEqualTo("21.5");
        }
    }

    @Test
    @DisplayName("[MQTT-4.3.1-1] a QoS 0 PUBLISH is stored and not acknowledged")
    void qos0StoredWithoutAnswer() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(V311, "dev-1");

            client.send(Packets.publish(V311, "dt/dev-1/temp").payload("20").bytes());

            assertThat(single(server.awaitStored(1)).qos()).isZero();
            client.assertNothingReceived();
        }
    }

    @ParameterizedTest(name = "level {0}")
    @ValueSource(ints = {V311, V5})
    @DisplayName("[MQTT-4.3.3-10] a QoS 2 PUBLISH repeated before PUBREL is stored once and answered with PUBREC again")
    void qos2DuplicateStoredOnce(int level) {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(level, "dev-1");
            Packets.Publish publish = Packets.publish(level, "dt/dev-1/count").qos(2, 9).payload("1");

            client.send(publish.bytes());
            client.send(publish.dup().bytes()); // before the first is stored: no answer of its own
            assertThat(packetId(client.receive(MqttMessageType.PUBREC))).isEqualTo(9);
            client.send(publish.bytes()); // after PUBREC, before PUBREL: PUBREC again
            assertThat(packetId(client.receive(MqttMessageType.PUBREC))).isEqualTo(9);

            client.send(Packets.pubRel(9));
            MqttMessage pubComp = client.receive(MqttMessageType.PUBCOMP);
            assertThat(packetId(pubComp)).isEqualTo(9);
            assertThat(reasonCode(pubComp)).isZero();
            client.assertNothingReceived();
            assertThat(server.outbox().stats().appendedEntries()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("[MQTT-4.3.3-12] after PUBCOMP the same packet id starts a new QoS 2 message")
    void qos2PacketIdReusableAfterPubComp() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(V5, "dev-1");

            for (String payload : List.of("first", "second")) {
                client.send(Packets.publish(V5, "dt/dev-1/count").qos(2, 9).payload(payload).bytes());
                assertThat(packetId(client.receive(MqttMessageType.PUBREC))).isEqualTo(9);
                client.send(Packets.pubRel(9));
                assertThat(packetId(client.receive(MqttMessageType.PUBCOMP))).isEqualTo(9);
            }

            assertThat(server.stored()).extracting(e -> new String(e.payload(), StandardCharsets.UTF_8))
                    .containsExactly("first", "second");
        }
    }

    @Test
    @DisplayName("[MQTT 5.0 §3.7.2.1] PUBREL for an unknown packet id gets PUBCOMP 0x92 (Packet Identifier not found)")
    void pubRelForUnknownIdV5() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(V5, "dev-1");

            client.send(Packets.pubRel(5));

            MqttMessage pubComp = client.receive(MqttMessageType.PUBCOMP);
            assertThat(packetId(pubComp)).isEqualTo(5);
            assertThat(reasonCode(pubComp)).isEqualTo(0x92);
            assertThat(client.isOpen()).isTrue();
        }
    }

    @Test
    @DisplayName("[MQTT-4.3.3-2] 3.1.1: PUBREL for an unknown packet id still gets PUBCOMP")
    void pubRelForUnknownIdV311() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(V311, "dev-1");

            client.send(Packets.pubRel(5));

            assertThat(client.receiveRaw()).isEqualTo(hex("70 02 00 05"));
        }
    }

    @Test
    @DisplayName("[MQTT 5.0 §3.4.2.1] a QoS 1 PUBLISH outside the policy gets PUBACK 0x87; the connection stays usable")
    void unauthorizedQos1V5() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(V5, "dev-1");

            client.send(Packets.publish(V5, "dt/dev-2/temp").qos(1, 1).payload("spoofed").bytes());
            MqttMessage refused = client.receive(MqttMessageType.PUBACK);
            assertThat(packetId(refused)).isEqualTo(1);
            assertThat(reasonCode(refused)).isEqualTo(0x87);
            assertThat(client.isOpen()).isTrue();

            client.send(Packets.publish(V5, "dt/dev-1/temp").qos(1, 2).payload("mine").bytes());
            MqttMessage accepted = client.receive(MqttMessageType.PUBACK);
            assertThat(packetId(accepted)).isEqualTo(2);
            assertThat(reasonCode(accepted)).isZero();
            assertThat(server.storedTopics()).containsExactly("dt/dev-1/temp");
        }
    }

    @Test
    @DisplayName("[MQTT 5.0 §3.5.2.1] a QoS 2 PUBLISH outside the policy gets PUBREC 0x87")
    void unauthorizedQos2V5() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(V5, "dev-1");

            client.send(Packets.publish(V5, "dt/dev-2/temp").qos(2, 3).bytes());

            MqttMessage refused = client.receive(MqttMessageType.PUBREC);
            assertThat(packetId(refused)).isEqualTo(3);
            assertThat(reasonCode(refused)).isEqualTo(0x87);
            assertThat(client.isOpen()).isTrue();
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.5-2] 5.0: a QoS 0 PUBLISH outside the policy is dropped without an answer")
    void unauthorizedQos0V5() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(V5, "dev-1");

            client.send(Packets.publish(V5, "dt/dev-2/temp").payload("spoofed").bytes());

            server.syncRing();
            client.assertNothingReceived();
            assertThat(client.isOpen()).isTrue();
            assertThat(server.storedTopics()).containsExactly(MqttTestServer.SYNC_TOPIC);
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.5-2] 3.1.1: a PUBLISH outside the policy closes the connection and is not stored")
    void unauthorizedV311() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(V311, "dev-1");

            client.send(Packets.publish(V311, "dt/dev-2/temp").qos(1, 1).payload("spoofed").bytes());

            client.awaitClosed();
            client.assertNothingReceived();
            server.syncRing();
            assertThat(server.storedTopics()).containsExactly(MqttTestServer.SYNC_TOPIC);
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.2-2] 5.0: a wildcard in a PUBLISH topic gets DISCONNECT 0x90 (Topic Name invalid)")
    void wildcardTopicV5() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(V5, "dev-1");

            client.send(Packets.publish(V5, "dt/dev-1/+").qos(1, 1).bytes());

            assertThat(reasonCode(client.receive(MqttMessageType.DISCONNECT))).isEqualTo(0x90);
            client.awaitClosed();
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.2-2] 3.1.1: a wildcard in a PUBLISH topic closes the connection")
    void wildcardTopicV311() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(V311, "dev-1");

            client.send(Packets.publish(V311, "dt/dev-1/#").bytes());

            client.awaitClosed();
            client.assertNothingReceived();
        }
    }

    @ParameterizedTest(name = "topic bytes ending {0}")
    @ValueSource(strings = {"C3 28", "ED A0 80", "FF"})
    @DisplayName("[MQTT-1.5.3-1] 3.1.1: ill-formed UTF-8 in a PUBLISH topic closes the connection")
    void illFormedUtf8TopicV311(String badBytes) {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(V311, "dev-1");

            client.send(Packets.publish(V311, topicEndingWith(badBytes)).qos(1, 1).bytes());

            client.awaitClosed();
            client.assertNothingReceived();
            server.syncRing();
            assertThat(server.storedTopics()).containsExactly(MqttTestServer.SYNC_TOPIC);
        }
    }

    @ParameterizedTest(name = "topic bytes ending {0}")
    @ValueSource(strings = {"C3 28", "ED A0 80", "FF"})
    @DisplayName("[MQTT-1.5.4-1] 5.0: ill-formed UTF-8 in a PUBLISH topic is a Malformed Packet, DISCONNECT 0x81")
    void illFormedUtf8TopicV5(String badBytes) {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(V5, "dev-1");

            client.send(Packets.publish(V5, topicEndingWith(badBytes)).qos(1, 1).bytes());

            assertThat(reasonCode(client.receive(MqttMessageType.DISCONNECT))).isEqualTo(0x81);
            client.awaitClosed();
        }
    }

    @Test
    @DisplayName("[MQTT-1.5.4-2] 5.0: U+0000 in a PUBLISH topic is a Malformed Packet, DISCONNECT 0x81")
    void nullCharacterInTopicV5() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(V5, "dev-1");

            client.send(Packets.publish(V5, topicEndingWith("00")).qos(1, 1).bytes());

            assertThat(reasonCode(client.receive(MqttMessageType.DISCONNECT))).isEqualTo(0x81);
            client.awaitClosed();
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.1-4] 5.0: a PUBLISH with QoS 3 is a Malformed Packet, DISCONNECT 0x81")
    void qos3PublishV5() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(V5, "dev-1");

            byte[] qos3 = PacketBytes.packet(0x36, new PacketBytes().utf8("dt/dev-1/t").u16(1).properties(new PacketBytes()));
            client.send(qos3);

            assertThat(reasonCode(client.receive(MqttMessageType.DISCONNECT))).isEqualTo(0x81);
            client.awaitClosed();
        }
    }

    @Test
    @DisplayName("[MQTT-2.2.1-3] 5.0: a QoS 1 PUBLISH with packet id 0 is a Malformed Packet, DISCONNECT 0x81")
    void zeroPacketIdV5() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(V5, "dev-1");

            client.send(Packets.publish(V5, "dt/dev-1/t").qos(1, 0).bytes());

            assertThat(reasonCode(client.receive(MqttMessageType.DISCONNECT))).isEqualTo(0x81);
            client.awaitClosed();
        }
    }

    @Test
    @DisplayName("[MQTT-3.2.2-15] 5.0: a packet larger than the Maximum Packet Size gets DISCONNECT 0x95 (Packet too large)")
    void oversizedPacketV5() {
        try (MqttTestServer server = MqttTestServer.start(dataDir, MqttTestServer.limits(1024, 32, 16))) {
            MqttTestClient client = server.connect(V5, "dev-1");

            client.send(Packets.publish(V5, "dt/dev-1/blob").qos(1, 1).payload(new byte[2000]).bytes());

            assertThat(reasonCode(client.receive(MqttMessageType.DISCONNECT))).isEqualTo(0x95);
            client.awaitClosed();
            server.syncRing();
            assertThat(server.storedTopics()).containsExactly(MqttTestServer.SYNC_TOPIC);
        }
    }

    @Test
    @DisplayName("[MQTT-4.8.0-1] 3.1.1: a packet larger than mqtt.maxPacketSizeBytes closes the connection")
    void oversizedPacketV311() {
        try (MqttTestServer server = MqttTestServer.start(dataDir, MqttTestServer.limits(1024, 32, 16))) {
            MqttTestClient client = server.connect(V311, "dev-1");

            client.send(Packets.publish(V311, "dt/dev-1/blob").qos(1, 1).payload(new byte[2000]).bytes());

            client.awaitClosed();
            client.assertNothingReceived();
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.4-7] 5.0: a QoS 1 PUBLISH beyond the Receive Maximum gets DISCONNECT 0x93")
    void receiveMaximumExceeded() {
        try (MqttTestServer server = MqttTestServer.start(dataDir, MqttTestServer.limits(4096, 32, 2))) {
            MqttTestClient client = server.connect(V5, "dev-1");

            // The test holds the acknowledgements: all three are unacknowledged when the third arrives.
            client.send(Packets.publish(V5, "dt/dev-1/t").qos(1, 1).bytes());
            client.send(Packets.publish(V5, "dt/dev-1/t").qos(1, 2).bytes());
            client.assertNoReplyYet();
            client.send(Packets.publish(V5, "dt/dev-1/t").qos(2, 3).bytes());

            assertThat(reasonCode(client.receive(MqttMessageType.DISCONNECT))).isEqualTo(0x93);
            client.awaitClosed();
            server.syncRing();
            assertThat(server.storedTopics()).hasSize(3).endsWith(MqttTestServer.SYNC_TOPIC);
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.4-7] 5.0: each PUBACK reopens the Receive Maximum window")
    void receiveMaximumWindowReopens() {
        try (MqttTestServer server = MqttTestServer.start(dataDir, MqttTestServer.limits(4096, 32, 2))) {
            MqttTestClient client = server.connect(V5, "dev-1");

            for (int id = 1; id <= 6; id += 2) {
                client.send(Packets.publish(V5, "dt/dev-1/t").qos(1, id).bytes());
                client.send(Packets.publish(V5, "dt/dev-1/t").qos(1, id + 1).bytes());
                assertThat(packetId(client.receive(MqttMessageType.PUBACK))).isEqualTo(id);
                assertThat(packetId(client.receive(MqttMessageType.PUBACK))).isEqualTo(id + 1);
            }

            assertThat(client.isOpen()).isTrue();
            assertThat(server.outbox().stats().appendedEntries()).isEqualTo(6);
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.1-5] 5.0: a retained PUBLISH is stored, acknowledged, and kept as the topic's retained message")
    void retainAcceptedV5() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(V5, "dev-1");

            client.send(Packets.publish(V5, "dt/dev-1/state").qos(1, 1).retain().payload("on").bytes());

            assertThat(packetId(client.receive(MqttMessageType.PUBACK))).isEqualTo(1);
            assertThat(single(server.stored()).retain()).isTrue();
            assertThat(client.isOpen()).isTrue();
        }
    }

    @Test
    @DisplayName("[MQTT 3.1.1 §3.3.1.3] 3.1.1: a retained PUBLISH is accepted and its RETAIN flag kept in the outbox")
    void retainKeptV311() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(V311, "dev-1");

            client.send(Packets.publish(V311, "dt/dev-1/state").qos(1, 1).retain().bytes());

            assertThat(packetId(client.receive(MqttMessageType.PUBACK))).isEqualTo(1);
            assertThat(single(server.stored()).retain()).isTrue();
        }
    }

    private static byte[] topicEndingWith(String hexBytes) {
        return new PacketBytes().bytes("dt/dev-1/".getBytes(StandardCharsets.UTF_8)).bytes(hex(hexBytes))
                .toByteArray();
    }

    private static OutboxEntry single(List<OutboxEntry> entries) {
        assertThat(entries).hasSize(1);
        return entries.get(0);
    }

    @Test
    @DisplayName("a full backpressure outbox: QoS 0 PUBLISHes are dropped and counted, QoS 1 ones held until there is room")
    void fullOutboxDropsQos0AndHoldsQos1() {
        java.util.concurrent.atomic.AtomicBoolean room = new java.util.concurrent.atomic.AtomicBoolean(true);
        try (MqttTestServer server = MqttTestServer.start(dataDir, MqttTestServer.LIMITS, MqttTestServer.POLICY,
                room::get)) {
            MqttTestClient client = server.connect(V5, "dev-1");
            room.set(false);

            client.send(Packets.publish(V5, "dt/dev-1/qos0").payload("a").bytes());
            client.send(Packets.pingReq());
            client.receive(MqttMessageType.PINGRESP); // still read: a QoS 0 publisher is not held
            client.sendHeld(Packets.publish(V5, "dt/dev-1/qos1").qos(1, 1).payload("b").bytes());
            client.assertNothingReceived();

            room.set(true);
            assertThat(packetId(client.receive(MqttMessageType.PUBACK))).isEqualTo(1);
            assertThat(server.storedTopics()).containsExactly("dt/dev-1/qos1");
            assertThat(server.registry().counter("tidegate.ingest.dropped", "reason", "outbox_full").count())
                    .isEqualTo(1);
        }
    }
}
