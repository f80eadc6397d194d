package io.tidegate.mqtt;

import static io.tidegate.mqtt.MqttTestClient.packetId;
import static io.tidegate.mqtt.MqttTestClient.reasonCode;
import static io.tidegate.mqtt.Packets.V311;
import static io.tidegate.mqtt.Packets.V5;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.tidegate.config.AuthorizationConfig;
import io.tidegate.config.TopicPolicyConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** SUBSCRIBE, UNSUBSCRIBE and delivery of stored messages to local subscribers. */
@ExtendWith(NettyLeakCheck.class)
class MqttSubscribeTest {

    /** Granted, invalid ([MQTT-4.7.1-2]), outside the policy, shared (granted too). */
    private static final String[] MIXED_FILTERS = {"dt/+/temp", "a/#/b", "cmd/dev-1", "$share/g/dt/x"};

    @TempDir
    Path dataDir;

    @ParameterizedTest(name = "level {0}")
    @ValueSource(ints = {V311, V5})
    @DisplayName("[MQTT-3.9.3-2] a filter that overlaps a denySubscribe filter is refused (0x80 / 0x87); others are granted")
    void denySubscribeWinsOverAllow(int level) {
        AuthorizationConfig denying = new AuthorizationConfig("device", "device", false, Map.of(), Map.of("device",
                new TopicPolicyConfig(List.of("dt/${clientid}/#"), List.of("dt/#"), List.of("dt/${clientid}/secret"),
                        List.of("dt/+/secret/#"))));
        try (MqttTestServer server = MqttTestServer.start(dataDir, MqttTestServer.LIMITS, denying)) {
            MqttTestClient client = server.connect(level, "dev-1");

            client.send(Packets.subscribe(level, 1, 1, "dt/#", "dt/+/temp", "dt/dev-2/secret/key"));

            int refused = level == V5 ? 0x87 : 0x80;
            assertThat(((MqttSubAckMessage) client.receive(MqttMessageType.SUBACK)).payload().reasonCodes())
                    .containsExactly(refused, 1, refused);
            if (level == V5) {
                client.send(Packets.publish(V5, "dt/dev-1/secret").qos(1, 2).payload("k").bytes());
                assertThat(reasonCode(client.receive(MqttMessageType.PUBACK))).as("denyPublish").isEqualTo(0x87);
            }
        }
    }

    @Test
    @DisplayName("[MQTT-1.5.4-1] 5.0: a topic filter of ill-formed UTF-8 is a Malformed Packet, DISCONNECT 0x81")
    void illFormedFilter() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(V5, "dev-1");

            client.send(PacketBytes.packet(0x82, new PacketBytes().u16(1).properties(new PacketBytes())
                    .binary(PacketBytes.hex("64 74 2F C3 28")).u8(1))); // "dt/" + a broken sequence

            assertThat(reasonCode(client.receive(MqttMessageType.DISCONNECT))).isEqualTo(0x81);
            client.awaitClosed();
            assertThat(server.context().subscriptions().size()).isZero();
        }
    }

    @Test
    @DisplayName("[MQTT-3.8.3-4] 3.1.1: a SUBSCRIBE whose requested QoS byte has reserved bits set closes the connection")
    void reservedOptionBitsIn311() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(V311, "dev-1");

            client.send(PacketBytes.packet(0x82, new PacketBytes().u16(1).utf8("dt/#").u8(0x05))); // QoS 1 + bit 2

            client.awaitClosed();
            client.assertNothingReceived();
            assertThat(server.context().subscriptions().size()).isZero();
        }
    }

    @Test
    @DisplayName("[MQTT-3.8.4-5] 3.1.1: SUBACK has one return code per filter, the granted QoS or 0x80")
    void subAckCodesV311() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(V311, "dev-1");

            client.send(Packets.subscribe(V311, 11, 1, MIXED_FILTERS));

            MqttSubAckMessage subAck = (MqttSubAckMessage) client.receive(MqttMessageType.SUBACK);
            assertThat(packetId(subAck)).isEqualTo(11);
            assertThat(subAck.payload().reasonCodes()).containsExactly(1, 0x80, 0x80, 1);
            assertThat(server.context().subscriptions().size()).isEqualTo(1);
            assertThat(server.context().shared().size()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("[MQTT-3.8.4-6] 5.0: SUBACK has one reason code per filter: granted QoS, 0x8F, 0x87, granted QoS")
    void subAckCodesV5() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(V5, "dev-1");

            client.send(Packets.subscribe(V5, 12, 1, MIXED_FILTERS));

            MqttSubAckMessage subAck = (MqttSubAckMessage) client.receive(MqttMessageType.SUBACK);
            assertThat(packetId(subAck)).isEqualTo(12);
            assertThat(subAck.payload().reasonCodes()).containsExactly(1, 0x8F, 0x87, 1);
            assertThat(server.context().subscriptions().size()).isEqualTo(1);
            assertThat(server.context().shared().size()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("[MQTT-3.8.3-2] 5.0: a SUBSCRIBE without topic filters is a Protocol Error, DISCONNECT 0x82")
    void subscribeWithoutFiltersV5() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(V5, "dev-1");

            client.send(Packets.subscribe(V5, 1, 1));

            assertThat(reasonCode(client.receive(MqttMessageType.DISCONNECT))).isEqualTo(0x82);
            client.awaitClosed();
        }
    }

    @Test
    @DisplayName("[MQTT-3.10.3-2] 3.1.1: an UNSUBSCRIBE without topic filters closes the connection")
    void unsubscribeWithoutFiltersV311() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(V311, "dev-1");

            client.send(Packets.unsubscribe(V311, 1));

            client.awaitClosed();
            client.assertNothingReceived();
        }
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    @DisplayName("[MQTT-3.8.4-7] SUBACK grants the QoS asked for")
    void grantsRequestedQos(int qos) {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(V5, "dev-1");

            client.send(Packets.subscribe(V5, 1, qos, "dt/#"));

            MqttSubAckMessage subAck = (MqttSubAckMessage) client.receive(MqttMessageType.SUBACK);
            assertThat(subAck.payload().reasonCodes()).containsExactly(qos);
        }
    }

    @ParameterizedTest(name = "published at QoS {0}, subscribed at QoS {1}: delivered at QoS {2}")
    @CsvSource({"2, 1, 1", "0, 2, 0", "1, 2, 1", "2, 2, 2", "1, 0, 0"})
    @DisplayName("[MQTT-3.8.4-8] a PUBLISH from another connection reaches the subscriber at the lower of the two QoS")
    void deliversAtMinimumQos(int publishedQos, int grantedQos, int deliveredQos) {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient subscriber = subscribed(server, V5, "sub-1", grantedQos, "dt/+/temp");
            MqttTestClient publisher = server.connect(V311, "dev-1");

            publisher.send(Packets.publish(V311, "dt/dev-1/temp").qos(publishedQos, publishedQos == 0 ? 0 : 4)
                    .payload("21.5").bytes());

            MqttPublishMessage delivered = (MqttPublishMessage) subscriber.receive(MqttMessageType.PUBLISH);
            assertThat(delivered.fixedHeader().qosLevel().value()).isEqualTo(deliveredQos);
            assertThat(delivered.variableHeader().topicName()).isEqualTo("dt/dev-1/temp");
            assertThat(text(delivered)).isEqualTo("21.5");
            if (deliveredQos > 0) {
                assertThat(packetId(delivered)).isPositive();
            }
        }
    }

    @Test
    @DisplayName("[MQTT-4.3.3-4] a QoS 2 delivery: the subscriber's PUBREC is answered with PUBREL, then PUBCOMP ends it")
    void qos2DeliveryFlow() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient subscriber = subscribed(server, V5, "sub-1", 2, "dt/#");
            MqttTestClient publisher = server.connect(V5, "dev-1");

            publisher.send(Packets.publish(V5, "dt/dev-1/count").qos(2, 1).payload("1").bytes());

            MqttMessage delivered = subscriber.receive(MqttMessageType.PUBLISH);
            int id = packetId(delivered);
            subscriber.send(Packets.pubRec(id));
            MqttMessage pubRel = subscriber.receive(MqttMessageType.PUBREL);
            assertThat(packetId(pubRel)).isEqualTo(id);
            assertThat(reasonCode(pubRel)).isZero();
            subscriber.send(Packets.pubComp(id));
            subscriber.assertNothingReceived();
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.4-9] the server sends no more unacknowledged QoS 1 PUBLISHes than the client's Receive Maximum")
    void honoursClientReceiveMaximum() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient subscriber = server.connect(Packets.connect(V5, "sub-1").receiveMaximum(1), V5);
            subscriber.send(Packets.subscribe(V5, 1, 1, "dt/#"));
            subscriber.receive(MqttMessageType.SUBACK);
            MqttTestClient publisher = server.connect(V5, "dev-1");

            publishQos1(publisher, V5, "dt/dev-1/a", 1);
            publishQos1(publisher, V5, "dt/dev-1/b", 2);

            MqttPublishMessage first = (MqttPublishMessage) subscriber.receive(MqttMessageType.PUBLISH);
            assertThat(first.variableHeader().topicName()).isEqualTo("dt/dev-1/a");
            subscriber.assertNothingReceived(); // both are stored: the publisher has its two PUBACKs
            subscriber.send(Packets.pubAck(packetId(first)));
            MqttPublishMessage second = (MqttPublishMessage) subscriber.receive(MqttMessageType.PUBLISH);
            assertThat(second.variableHeader().topicName()).isEqualTo("dt/dev-1/b");
        }
    }

    @Test
    @DisplayName("a subscriber whose socket cannot take more gets its QoS 1 deliveries held back, in order, until it drains")
    void qos1DeliveriesWaitWhileTheSubscribersSocketIsFull() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient subscriber = subscribed(server, V311, "sub-1", 1, "dt/#");
            MqttTestClient publisher = server.connect(V311, "dev-1");
            // Netty's own flow control: the channel reports itself unwritable, as with a full socket.
            subscriber.channel().unsafe().outboundBuffer().setUserDefinedWritability(1, false);

            publishQos1(publisher, V311, "dt/dev-1/a", 1);
            publishQos1(publisher, V311, "dt/dev-1/b", 2);
            subscriber.assertNothingReceived();

            subscriber.channel().unsafe().outboundBuffer().setUserDefinedWritability(1, true);
            MqttPublishMessage first = (MqttPublishMessage) subscriber.receive(MqttMessageType.PUBLISH);
            MqttPublishMessage second = (MqttPublishMessage) subscriber.receive(MqttMessageType.PUBLISH);
            assertThat(first.variableHeader().topicName()).isEqualTo("dt/dev-1/a");
            assertThat(second.variableHeader().topicName()).isEqualTo("dt/dev-1/b");
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.4-9] 5.0: a PUBREC with a reason code of 0x80 or more ends a QoS 2 delivery without PUBREL")
    void pubRecWithErrorEndsDelivery() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient subscriber = server.connect(Packets.connect(V5, "sub-1").receiveMaximum(1), V5);
            subscriber.send(Packets.subscribe(V5, 1, 2, "dt/#"));
            subscriber.receive(MqttMessageType.SUBACK);
            MqttTestClient publisher = server.connect(V5, "dev-1");

            publishQos2(publisher, "dt/dev-1/a", 1);
            publishQos2(publisher, "dt/dev-1/b", 2);

            MqttMessage first = subscriber.receive(MqttMessageType.PUBLISH);
            subscriber.send(Packets.pubRec(packetId(first), 0x80));
            MqttMessage next = subscriber.receive();
            assertThat(next.fixedHeader().messageType()).as("no PUBREL for a refused message")
                    .isEqualTo(MqttMessageType.PUBLISH);
            assertThat(((MqttPublishMessage) next).variableHeader().topicName()).isEqualTo("dt/dev-1/b");
        }
    }

    @ParameterizedTest(name = "{0} properties: a {1}-byte PUBLISH")
    @CsvSource({"without, 57", "with, 77"})
    @DisplayName("[MQTT-3.1.2-25] 5.0: a message larger than the client's Maximum Packet Size is not sent to it")
    void honoursClientMaximumPacketSize(String properties, int packetSize) {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient fits = server.connect(Packets.connect(V5, "sub-1").maximumPacketSize(packetSize), V5);
            MqttTestClient tooSmall = server.connect(Packets.connect(V5, "sub-2").maximumPacketSize(packetSize - 1), V5);
            for (MqttTestClient subscriber : new MqttTestClient[] {fits, tooSmall}) {
                subscriber.send(Packets.subscribe(V5, 1, 1, "dt/#"));
                subscriber.receive(MqttMessageType.SUBACK);
            }
            MqttTestClient publisher = server.connect(V5, "dev-1");
            // Delivered at QoS 1: 1 + 1 + (2 + 10 + 2 + 1 + 40) = 57 bytes; the two properties add
            // 1 + 2 + 10 (Content Type "text/plain") + 1 + 2 + 1 + 2 + 1 (User Property k=v) = 20.
            Packets.Publish large = Packets.publish(V5, "dt/dev-1/t").qos(1, 1).payload(new byte[40]);
            if (properties.equals("with")) {
                large.contentType("text/plain").userProperty("k", "v");
            }

            publisher.send(large.bytes());
            publisher.receive(MqttMessageType.PUBACK);
            publishQos1(publisher, V5, "dt/dev-1/u", 2);

            assertThat(((MqttPublishMessage) fits.receive(MqttMessageType.PUBLISH)).variableHeader().topicName())
                    .isEqualTo("dt/dev-1/t");
            assertThat(((MqttPublishMessage) tooSmall.receive(MqttMessageType.PUBLISH)).variableHeader().topicName())
                    .as("the large message is skipped, the next one is not").isEqualTo("dt/dev-1/u");
            assertThat(tooSmall.isOpen()).isTrue();
        }
    }

    @Test
    @DisplayName("[MQTT-3.10.4-4] 5.0: UNSUBACK has 0x00 for a removed subscription and 0x11 where none existed")
    void unsubscribeV5() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient subscriber = subscribed(server, V5, "sub-1", 1, "dt/#");

            subscriber.send(Packets.unsubscribe(V5, 21, "dt/#", "dt/none"));

            MqttUnsubAckMessage unsubAck = (MqttUnsubAckMessage) subscriber.receive(MqttMessageType.UNSUBACK);
            assertThat(packetId(unsubAck)).isEqualTo(21);
            assertThat(unsubAck.payload().unsubscribeReasonCodes()).containsExactly((short) 0x00, (short) 0x11);
            assertThat(server.context().subscriptions().size()).isZero();
        }
    }

    @Test
    @DisplayName("[MQTT-3.10.4-4] 3.1.1: UNSUBACK carries the packet id; the subscriber gets nothing more")
    void unsubscribeV311StopsDelivery() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient subscriber = subscribed(server, V311, "sub-1", 1, "dt/#");
            MqttTestClient publisher = server.connect(V311, "dev-1");

            subscriber.send(Packets.unsubscribe(V311, 22, "dt/#"));
            assertThat(packetId(subscriber.receive(MqttMessageType.UNSUBACK))).isEqualTo(22);
            publishQos1(publisher, V311, "dt/dev-1/t", 1);

            // The ack stage queued the PUBACK and any delivery in the same step: nothing came.
            subscriber.assertNothingReceived();
        }
    }

    private static MqttTestClient subscribed(MqttTestServer server, int level, String clientId, int qos,
                                             String filter) {
        MqttTestClient subscriber = server.connect(level, clientId);
        subscriber.send(Packets.subscribe(level, 1, qos, filter));
        MqttSubAckMessage subAck = (MqttSubAckMessage) subscriber.receive(MqttMessageType.SUBACK);
        assertThat(subAck.payload().reasonCodes()).containsExactly(qos);
        return subscriber;
    }

    /** Publishes at QoS 1 and waits for the PUBACK: the message is stored and queued for subscribers. */
    private static void publishQos1(MqttTestClient publisher, int level, String topic, int packetId) {
        publisher.send(Packets.publish(level, topic).qos(1, packetId).payload(topic).bytes());
        assertThat(packetId(publisher.receive(MqttMessageType.PUBACK))).isEqualTo(packetId);
    }

    /** Publishes at QoS 2 (MQTT 5) through to PUBCOMP. */
    private static void publishQos2(MqttTestClient publisher, String topic, int packetId) {
        publisher.send(Packets.publish(V5, topic).qos(2, packetId).payload(topic).bytes());
        assertThat(packetId(publisher.receive(MqttMessageType.PUBREC))).isEqualTo(packetId);
        publisher.send(Packets.pubRel(packetId));
        assertThat(packetId(publisher.receive(MqttMessageType.PUBCOMP))).isEqualTo(packetId);
    }

    private static String text(MqttPublishMessage message) {
        return new String(ByteBufUtil.getBytes(message.payload()), StandardCharsets.UTF_8);
    }
}
