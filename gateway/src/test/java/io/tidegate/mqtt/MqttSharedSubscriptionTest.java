package io.tidegate.mqtt;

import static io.tidegate.mqtt.MqttTestClient.packetId;
import static io.tidegate.mqtt.MqttTestClient.reasonCode;
import static io.tidegate.mqtt.Packets.V311;
import static io.tidegate.mqtt.Packets.V5;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** MQTT 5 shared subscriptions, section 4.8.2. */
@ExtendWith(NettyLeakCheck.class)
class MqttSharedSubscriptionTest {

    @TempDir
    Path dataDir;

    @Test
    @DisplayName("4.8.2: each message goes to one member of a group, in turn; other groups and plain subscribers get it too")
    void membersTakeTurns() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient a = subscribed(server, V5, "worker-a", "$share/workers/dt/#");
            MqttTestClient b = subscribed(server, V311, "worker-b", "$share/workers/dt/#");
            MqttTestClient auditor = subscribed(server, V5, "auditor", "$share/audit/dt/+/x");
            MqttTestClient plain = subscribed(server, V5, "plain", "dt/#");
            MqttTestClient publisher = server.connect(V5, "dev-1");

            for (int i = 1; i <= 4; i++) {
                publisher.send(Packets.publish(V5, "dt/dev-1/x").qos(1, i).payload("m" + i).bytes());
                assertThat(packetId(publisher.receive(MqttMessageType.PUBACK))).isEqualTo(i);
            }

            List<String> toA = receive(a, 2);
            List<String> toB = receive(b, 2);
            assertThat(toA).hasSize(2).doesNotContainAnyElementsOf(toB);
            assertThat(concat(toA, toB)).containsExactlyInAnyOrder("m1", "m2", "m3", "m4");
            a.assertNothingReceived();
            b.assertNothingReceived();
            assertThat(receive(auditor, 4)).containsExactly("m1", "m2", "m3", "m4");
            assertThat(receive(plain, 4)).containsExactly("m1", "m2", "m3", "m4");
        }
    }

    @Test
    @DisplayName("4.8.2: a member that unsubscribes or disconnects leaves the group; the others get everything")
    void membersLeave() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient a = subscribed(server, V5, "worker-a", "$share/workers/dt/#");
            MqttTestClient b = subscribed(server, V5, "worker-b", "$share/workers/dt/#");
            MqttTestClient c = subscribed(server, V5, "worker-c", "$share/workers/dt/#");

            a.send(Packets.unsubscribe(V5, 7, "$share/workers/dt/#"));
            MqttUnsubAckMessage unsubAck = (MqttUnsubAckMessage) a.receive(MqttMessageType.UNSUBACK);
            assertThat(unsubAck.payload().unsubscribeReasonCodes()).containsExactly((short) 0);
            b.drop();
            MqttTestClient publisher = server.connect(V5, "dev-1");
            for (int i = 1; i <= 3; i++) {
                publisher.send(Packets.publish(V5, "dt/dev-1/x").qos(1, i).payload("m" + i).bytes());
                publisher.receive(MqttMessageType.PUBACK);
            }

            assertThat(receive(c, 3)).containsExactly("m1", "m2", "m3");
            a.assertNothingReceived();
            c.drop();
            assertThat(server.context().shared().size()).as("the group is gone with its last member").isZero();
        }
    }

    @Test
    @DisplayName("4.8.2: a new shared subscription gets no retained messages")
    void noRetainedMessagesForASharedSubscription() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient publisher = server.connect(V5, "dev-1");
            publisher.send(Packets.publish(V5, "dt/dev-1/state").qos(1, 1).retain().payload("on").bytes());
            publisher.receive(MqttMessageType.PUBACK);

            MqttTestClient member = subscribed(server, V5, "worker-a", "$share/workers/dt/#");

            member.assertNothingReceived();
        }
    }

    @Test
    @DisplayName("[MQTT-3.8.3-4] No Local on a shared subscription is a Protocol Error: DISCONNECT 0x82")
    void noLocalOnSharedIsAProtocolError() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(V5, "worker-a");

            client.send(Packets.subscribe(1, "$share/workers/dt/#", 1, true, false, 0));

            assertThat(reasonCode(client.receive(MqttMessageType.DISCONNECT))).isEqualTo(0x82);
            client.awaitClosed();
            assertThat(server.context().shared().size()).isZero();
        }
    }

    private static MqttTestClient subscribed(MqttTestServer server, int level, String clientId, String filter) {
        MqttTestClient client = server.connect(level, clientId);
        client.send(Packets.subscribe(level, 1, 1, filter));
        assertThat(((MqttSubAckMessage) client.receive(MqttMessageType.SUBACK)).payload().reasonCodes())
                .containsExactly(1);
        return client;
    }

    /** Receives {@code count} PUBLISHes, acknowledging each, and returns their payloads. */
    private static List<String> receive(MqttTestClient client, int count) {
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            MqttPublishMessage publish = (MqttPublishMessage) client.receive(MqttMessageType.PUBLISH);
            payloads.add(new String(ByteBufUtil.getBytes(publish.payload()), StandardCharsets.UTF_8));
            client.send(Packets.pubAck(packetId(publish)));
        }
        return payloads;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
