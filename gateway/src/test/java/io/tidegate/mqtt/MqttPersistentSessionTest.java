package io.tidegate.mqtt;

import static io.tidegate.mqtt.MqttTestClient.packetId;
import static io.tidegate.mqtt.MqttTestClient.reasonCode;
import static io.tidegate.mqtt.Packets.V311;
import static io.tidegate.mqtt.Packets.V5;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.tidegate.config.MqttConfig;
import io.tidegate.outbox.OutboxEntry;
import io.tidegate.testing.Await;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Sessions that outlive their connection (MQTT 5 section 4.1, MQTT 3.1.1 section 3.1.2.4):
 * Clean Start / Clean Session, Session Present, Session Expiry, queued and re-sent messages, QoS 2
 * state across connections, Will Delay, the queue bound, and the snapshot a restart loads.
 */
@ExtendWith(NettyLeakCheck.class)
class MqttPersistentSessionTest {

    private static final MqttConfig SESSIONS = MqttTestServer.LIMITS.withSessions(3600, 100);

    @TempDir
    Path dataDir;

    // ---- Clean Start and Session Present ----

    @ParameterizedTest(name = "level {0}")
    @ValueSource(ints = {V311, V5})
    @DisplayName("[MQTT-3.2.2-3] Clean Start 0: Session Present is 0 for a new session and 1 when it is resumed")
    void sessionPresentWhenResumed(int level) {
        try (MqttTestServer server = MqttTestServer.start(dataDir, SESSIONS)) {
            MqttTestClient first = server.newClient(level).send(persistent(level, "sub-1").bytes());
            assertThat(connAck(first).isSessionPresent()).isFalse();
            first.send(Packets.disconnect());
            first.awaitClosed();

            MqttTestClient second = server.newClient(level).send(persistent(level, "sub-1").bytes());
            assertThat(connAck(second).isSessionPresent()).isTrue();
        }
    }

    @ParameterizedTest(name = "level {0}")
    @ValueSource(ints = {V311, V5})
    @DisplayName("[MQTT-3.2.2-2] [MQTT-3.1.2-4] Clean Start 1 discards the session: Session Present 0, subscriptions gone")
    void cleanStartDiscardsTheSession(int level) {
        try (MqttTestServer server = MqttTestServer.start(dataDir, SESSIONS)) {
            offlineSubscriber(server, level, "sub-1", 1, "dt/#");
            assertThat(server.context().subscriptions().size()).isEqualTo(1);

            MqttTestClient clean = server.newClient(level).send(Packets.connect(level, "sub-1")
                    .sessionExpiryIf(level == V5, 3600).bytes());
            assertThat(connAck(clean).isSessionPresent()).isFalse();
            assertThat(server.context().subscriptions().size()).isZero();
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-6] [MQTT-4.1.0-2] 5.0: Session Expiry 0 (the default) ends the session with its connection")
    void expiryZeroEndsWithTheConnection() {
        try (MqttTestServer server = MqttTestServer.start(dataDir, SESSIONS)) {
            MqttTestClient client = server.connect(Packets.connect(V5, "sub-1").cleanStart(false), V5);
            client.send(Packets.subscribe(V5, 1, 1, "dt/#"));
            client.receive(MqttMessageType.SUBACK);
            client.drop();

            assertThat(server.context().sessions().size()).isZero();
            assertThat(server.context().subscriptions().size()).isZero();
            MqttTestClient again = server.newClient(V5).send(persistent(V5, "sub-1").bytes());
            assertThat(connAck(again).isSessionPresent()).isFalse();
        }
    }

    // ---- queued and re-sent messages ----

    @ParameterizedTest(name = "level {0}")
    @ValueSource(ints = {V311, V5})
    @DisplayName("[MQTT-3.1.2-23] [MQTT-4.5.0-1] QoS 1/2 messages for an offline session wait for it, in order; QoS 0 ones do not")
    void offlineSessionQueuesQos1And2(int level) {
        try (MqttTestServer server = MqttTestServer.start(dataDir, SESSIONS)) {
            offlineSubscriber(server, level, "sub-1", 2, "dt/dev-1/#");
            MqttTestClient publisher = server.connect(V5, "dev-1");
            publish(publisher, "dt/dev-1/a", 1, 1);
            publish(publisher, "dt/dev-1/b", 0, 0);
            publish(publisher, "dt/dev-1/c", 2, 2);
            server.syncRing();
            server.handOver();
            assertThat(server.context().sessions().queuedMessages()).isEqualTo(2);

            MqttTestClient back = server.newClient(level).send(persistent(level, "sub-1").bytes());
            assertThat(connAck(back).isSessionPresent()).isTrue();
            MqttPublishMessage a = (MqttPublishMessage) back.receive(MqttMessageType.PUBLISH);
            MqttPublishMessage c = (MqttPublishMessage) back.receive(MqttMessageType.PUBLISH);
            assertThat(a.variableHeader().topicName()).isEqualTo("dt/dev-1/a");
            assertThat(a.fixedHeader().qosLevel().value()).isEqualTo(1);
            assertThat(a.fixedHeader().isDup()).isFalse();
            assertThat(c.variableHeader().topicName()).isEqualTo("dt/dev-1/c");
            assertThat(c.fixedHeader().qosLevel().value()).isEqualTo(2);
            back.send(Packets.pubAck(packetId(a)));
            back.assertNothingReceived();
        }
    }

    @ParameterizedTest(name = "level {0}")
    @ValueSource(ints = {V311, V5})
    @DisplayName("[MQTT-4.4.0-1] [MQTT-3.3.1-1] unacknowledged QoS 1 deliveries are re-sent on reconnect with DUP 1 and their packet ids")
    void unacknowledgedDeliveriesAreResentWithDup(int level) {
        try (MqttTestServer server = MqttTestServer.start(dataDir, SESSIONS)) {
            MqttTestClient subscriber = subscribe(server, level, "sub-1", 1, "dt/#");
            MqttTestClient publisher = server.connect(V5, "dev-1");
            publish(publisher, "dt/dev-1/a", 1, 1);
            publish(publisher, "dt/dev-1/b", 1, 2);
            MqttPublishMessage a = (MqttPublishMessage) subscriber.receive(MqttMessageType.PUBLISH);
            MqttPublishMessage b = (MqttPublishMessage) subscriber.receive(MqttMessageType.PUBLISH);
            subscriber.send(Packets.pubAck(packetId(a)));
            subscriber.drop(); // b never acknowledged

            MqttTestClient back = server.newClient(level).send(persistent(level, "sub-1").bytes());
            assertThat(connAck(back).isSessionPresent()).isTrue();
            MqttPublishMessage again = (MqttPublishMessage) back.receive(MqttMessageType.PUBLISH);
            assertThat(again.variableHeader().topicName()).isEqualTo("dt/dev-1/b");
            assertThat(again.fixedHeader().isDup()).isTrue();
            assertThat(packetId(again)).isEqualTo(packetId(b));
            back.send(Packets.pubAck(packetId(again)));
            back.assertNothingReceived();
        }
    }

    @Test
    @DisplayName("[MQTT-4.4.0-1] [MQTT-4.3.3-6] a QoS 2 delivery whose PUBREC arrived is resumed with PUBREL, never a second PUBLISH")
    void qos2DeliveryResumesWithPubRel() {
        try (MqttTestServer server = MqttTestServer.start(dataDir, SESSIONS)) {
            MqttTestClient subscriber = subscribe(server, V5, "sub-1", 2, "dt/dev-1/#");
            MqttTestClient publisher = server.connect(V5, "dev-1");
            publish(publisher, "dt/dev-1/a", 2, 1);
            MqttMessage delivered = subscriber.receive(MqttMessageType.PUBLISH);
            subscriber.send(Packets.pubRec(packetId(delivered)));
            subscriber.receive(MqttMessageType.PUBREL);
            subscriber.drop(); // no PUBCOMP

            MqttTestClient back = server.newClient(V5).send(persistent(V5, "sub-1").bytes());
            connAck(back);
            MqttMessage pubRel = back.receive(MqttMessageType.PUBREL);
            assertThat(packetId(pubRel)).isEqualTo(packetId(delivered));
            back.send(Packets.pubComp(packetId(pubRel)));
            back.assertNothingReceived();
        }
    }

    @ParameterizedTest(name = "level {0}")
    @ValueSource(ints = {V311, V5})
    @DisplayName("[MQTT-4.3.3-10] a QoS 2 PUBLISH re-sent on a new connection of the session before PUBREL is stored once")
    void inboundQos2StateOutlivesTheConnection(int level) {
        try (MqttTestServer server = MqttTestServer.start(dataDir, SESSIONS)) {
            MqttTestClient device = server.newClient(level).send(persistent(level, "dev-1").bytes());
            connAck(device);
            device.send(Packets.publish(level, "dt/dev-1/once").qos(2, 7).payload("x").bytes());
            assertThat(packetId(device.receive(MqttMessageType.PUBREC))).isEqualTo(7);
            device.drop(); // before PUBREL

            MqttTestClient back = server.newClient(level).send(persistent(level, "dev-1").bytes());
            assertThat(connAck(back).isSessionPresent()).isTrue();
            back.send(Packets.publish(level, "dt/dev-1/once").qos(2, 7).dup().payload("x").bytes());
            assertThat(packetId(back.receive(MqttMessageType.PUBREC))).isEqualTo(7);
            back.send(Packets.pubRel(7));
            assertThat(packetId(back.receive(MqttMessageType.PUBCOMP))).isEqualTo(7);
            server.syncRing();
            assertThat(server.storedTopics()).containsOnlyOnce("dt/dev-1/once");
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.4-3] [MQTT-3.1.2-5] a takeover with Clean Start 0 moves the session to the new connection")
    void takeoverKeepsTheSession() {
        try (MqttTestServer server = MqttTestServer.start(dataDir, SESSIONS)) {
            MqttTestClient first = subscribe(server, V5, "sub-1", 1, "dt/#");
            MqttTestClient second = server.newClient(V5).send(persistent(V5, "sub-1").bytes());

            assertThat(reasonCode(first.receive(MqttMessageType.DISCONNECT))).isEqualTo(0x8E);
            first.awaitClosed();
            assertThat(connAck(second).isSessionPresent()).isTrue();
            MqttTestClient publisher = server.connect(V5, "dev-1");
            publish(publisher, "dt/dev-1/a", 1, 1);
            MqttPublishMessage delivered = (MqttPublishMessage) second.receive(MqttMessageType.PUBLISH);
            assertThat(delivered.variableHeader().topicName()).isEqualTo("dt/dev-1/a");
        }
    }

    // ---- expiry ----

    @Test
    @DisplayName("[MQTT-4.1.0-2] an offline session is discarded once its Session Expiry Interval passed")
    void offlineSessionExpires() {
        try (MqttTestServer server = MqttTestServer.start(dataDir, SESSIONS)) {
            MqttTestClient client = server.newClient(V5).send(Packets.connect(V5, "sub-1").cleanStart(false)
                    .sessionExpiry(1).bytes());
            connAck(client);
            client.send(Packets.subscribe(V5, 1, 1, "dt/#"));
            client.receive(MqttMessageType.SUBACK);
            client.drop();
            assertThat(server.context().sessions().offline()).isEqualTo(1);

            Await.until("the session expired", Duration.ofSeconds(5),
                    () -> server.context().sessions().size() == 0);
            assertThat(server.context().subscriptions().size()).isZero();
            MqttTestClient back = server.newClient(V5).send(persistent(V5, "sub-1").bytes());
            assertThat(connAck(back).isSessionPresent()).isFalse();
        }
    }

    @Test
    @DisplayName("3.14.2.2.2: DISCONNECT with Session Expiry 0 ends a session that would have outlived the connection")
    void disconnectLowersTheExpiry() {
        try (MqttTestServer server = MqttTestServer.start(dataDir, SESSIONS)) {
            MqttTestClient client = server.newClient(V5).send(persistent(V5, "sub-1").bytes());
            connAck(client);
            client.send(Packets.disconnect(0, 0));
            client.awaitClosed();

            assertThat(server.context().sessions().size()).isZero();
        }
    }

    @Test
    @DisplayName("3.14.2.2.2: raising the Session Expiry from 0 in DISCONNECT is a Protocol Error: 0x82, and the will is sent")
    void disconnectMayNotRaiseAZeroExpiry() {
        try (MqttTestServer server = MqttTestServer.start(dataDir, SESSIONS)) {
            MqttTestClient client = server.connect(Packets.connect(V5, "dev-1").will("dt/dev-1/will", "gone", 1, false),
                    V5);
            client.send(Packets.disconnect(0, 600));

            assertThat(reasonCode(client.receive(MqttMessageType.DISCONNECT))).isEqualTo(0x82);
            client.awaitClosed();
            assertThat(server.awaitStored(1)).extracting(OutboxEntry::topic).containsExactly("dt/dev-1/will");
            assertThat(server.context().sessions().size()).isZero();
        }
    }

    // ---- will delay ----

    @Test
    @DisplayName("[MQTT-3.1.3-9] a will with a Will Delay is not sent when the session is resumed within the delay")
    void willDelayCancelledByReconnect() {
        try (MqttTestServer server = MqttTestServer.start(dataDir, SESSIONS)) {
            MqttTestClient client = server.newClient(V5).send(persistent(V5, "dev-1")
                    .will("dt/dev-1/will", "gone", 1, false).willDelay(60).bytes());
            connAck(client);
            client.drop();
            MqttTestClient back = server.newClient(V5).send(persistent(V5, "dev-1").bytes());
            assertThat(connAck(back).isSessionPresent()).isTrue();

            server.syncRing();
            assertThat(server.storedTopics()).doesNotContain("dt/dev-1/will");
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-8] a will with a Will Delay is sent once the delay passed without a reconnect")
    void willSentAfterItsDelay() {
        try (MqttTestServer server = MqttTestServer.start(dataDir, SESSIONS)) {
            MqttTestClient client = server.newClient(V5).send(persistent(V5, "dev-1")
                    .will("dt/dev-1/will", "gone", 1, false).willDelay(1).bytes());
            connAck(client);
            client.drop();
            assertThat(server.stored()).isEmpty();

            assertThat(server.awaitStored(1)).extracting(OutboxEntry::topic).containsExactly("dt/dev-1/will");
            assertThat(server.context().sessions().size()).as("the session outlives its will").isEqualTo(1);
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-8] a will whose delay is longer than the session is sent when the session ends")
    void willSentWhenTheSessionEndsFirst() {
        try (MqttTestServer server = MqttTestServer.start(dataDir, SESSIONS)) {
            MqttTestClient client = server.newClient(V5).send(Packets.connect(V5, "dev-1").cleanStart(false)
                    .sessionExpiry(1).will("dt/dev-1/will", "gone", 1, false).willDelay(3600).bytes());
            connAck(client);
            client.drop();

            assertThat(server.awaitStored(1)).extracting(OutboxEntry::topic).containsExactly("dt/dev-1/will");
            Await.until("the session ended", Duration.ofSeconds(5), () -> server.context().sessions().size() == 0);
        }
    }

    // ---- bounds ----

    @Test
    @DisplayName("mqtt.maxQueuedMessages bounds an offline session's queue; the rest is dropped and counted")
    void offlineQueueIsBounded() {
        try (MqttTestServer server = MqttTestServer.start(dataDir, MqttTestServer.LIMITS.withSessions(3600, 3))) {
            offlineSubscriber(server, V5, "sub-1", 1, "dt/dev-1/#");
            MqttTestClient publisher = server.connect(V5, "dev-1");
            for (int i = 1; i <= 5; i++) {
                publish(publisher, "dt/dev-1/m" + i, 1, i);
            }
            server.syncRing();
            server.handOver();

            assertThat(server.context().sessions().queuedMessages()).isEqualTo(3);
            assertThat(server.registry().counter("tidegate.messages.dropped", "reason", "session_queue_full").count())
                    .isEqualTo(2);
            MqttTestClient back = server.newClient(V5).send(persistent(V5, "sub-1").bytes());
            connAck(back);
            for (int i = 1; i <= 3; i++) {
                MqttPublishMessage m = (MqttPublishMessage) back.receive(MqttMessageType.PUBLISH);
                assertThat(m.variableHeader().topicName()).isEqualTo("dt/dev-1/m" + i);
            }
        }
    }

    @Test
    @DisplayName("5.0: a connected subscriber that lets its queue overflow gets DISCONNECT 0x97 (Quota exceeded)")
    void overflowingSubscriberIsDisconnected() {
        try (MqttTestServer server = MqttTestServer.start(dataDir, MqttTestServer.LIMITS.withSessions(3600, 2))) {
            MqttTestClient subscriber = server.connect(persistent(V5, "sub-1").receiveMaximum(1), V5);
            subscriber.send(Packets.subscribe(V5, 1, 1, "dt/dev-1/#"));
            subscriber.receive(MqttMessageType.SUBACK);
            MqttTestClient publisher = server.connect(V5, "dev-1");
            for (int i = 1; i <= 5; i++) {
                publish(publisher, "dt/dev-1/m" + i, 1, i); // window 1 + queue 2 hold three; two overflow
            }
            server.syncRing();

            assertThat(((MqttPublishMessage) subscriber.receive(MqttMessageType.PUBLISH)).variableHeader().topicName())
                    .isEqualTo("dt/dev-1/m1");
            assertThat(reasonCode(subscriber.receive(MqttMessageType.DISCONNECT))).isEqualTo(0x97);
            subscriber.awaitClosed();

            MqttTestClient back = server.newClient(V5).send(persistent(V5, "sub-1").bytes());
            assertThat(connAck(back).isSessionPresent()).isTrue();
            MqttPublishMessage resent = (MqttPublishMessage) back.receive(MqttMessageType.PUBLISH);
            assertThat(resent.variableHeader().topicName()).isEqualTo("dt/dev-1/m1");
            assertThat(resent.fixedHeader().isDup()).isTrue();
        }
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1})
    @DisplayName("a connected subscriber that keeps up gets a burst larger than mqtt.maxQueuedMessages whole")
    void aBurstToAConnectedSubscriberIsNotCut(int qos) {
        try (MqttTestServer server = MqttTestServer.start(dataDir, MqttTestServer.LIMITS.withSessions(3600, 3))) {
            MqttTestClient subscriber = subscribe(server, V5, "sub-1", qos, "dt/dev-1/#");
            MqttTestClient publisher = server.connect(V5, "dev-1");
            for (int i = 1; i <= 10; i++) {
                publisher.send(Packets.publish(V5, "dt/dev-1/m" + i).qos(1, i).payload("x").bytes());
            }
            server.awaitStored(10);
            server.handOver(); // one hand-over: all ten reach the session in one batch

            for (int i = 1; i <= 10; i++) {
                MqttPublishMessage m = (MqttPublishMessage) subscriber.receive(MqttMessageType.PUBLISH);
                assertThat(m.variableHeader().topicName()).isEqualTo("dt/dev-1/m" + i);
                if (qos == 1) {
                    subscriber.send(Packets.pubAck(packetId(m)));
                }
            }
            assertThat(subscriber.isOpen()).isTrue();
        }
    }

    // ---- restart ----

    @Test
    @DisplayName("[MQTT-3.1.2-23] a graceful restart keeps offline sessions: subscriptions, queued messages, expiry")
    void sessionsSurviveARestart() {
        try (MqttTestServer server = MqttTestServer.start(dataDir, SESSIONS)) {
            offlineSubscriber(server, V5, "sub-1", 1, "dt/dev-1/#");
            MqttTestClient publisher = server.connect(V5, "dev-1");
            publish(publisher, "dt/dev-1/kept", 1, 1);
            server.syncRing();
            server.handOver();
            publisher.send(Packets.disconnect());
            publisher.awaitClosed();
            server.saveSessions();
        }
        try (MqttTestServer restarted = MqttTestServer.start(dataDir, SESSIONS)) {
            restarted.loadSessions();
            assertThat(restarted.context().sessions().offline()).isEqualTo(1);
            assertThat(restarted.context().subscriptions().size()).isEqualTo(1);

            MqttTestClient back = restarted.newClient(V5).send(persistent(V5, "sub-1").bytes());
            assertThat(connAck(back).isSessionPresent()).isTrue();
            MqttPublishMessage kept = (MqttPublishMessage) back.receive(MqttMessageType.PUBLISH);
            assertThat(kept.variableHeader().topicName()).isEqualTo("dt/dev-1/kept");
            assertThat(kept.payload().toString(StandardCharsets.UTF_8)).isEqualTo("x");
            MqttTestClient publisher = restarted.connect(V5, "dev-1");
            publish(publisher, "dt/dev-1/new", 1, 1);
            back.send(Packets.pubAck(packetId(kept)));
            assertThat(((MqttPublishMessage) back.receive(MqttMessageType.PUBLISH)).variableHeader().topicName())
                    .isEqualTo("dt/dev-1/new");
        }
    }

    // ---- helpers ----

    /** Clean Start 0 with a long Session Expiry (5.0), or Clean Session 0 (3.1.1). */
    private static Packets.Connect persistent(int level, String clientId) {
        return Packets.connect(level, clientId).cleanStart(false).sessionExpiryIf(level == V5, 3600);
    }

    private static io.netty.handler.codec.mqtt.MqttConnAckVariableHeader connAck(MqttTestClient client) {
        MqttConnAckMessage connAck = (MqttConnAckMessage) client.receive(MqttMessageType.CONNACK);
        assertThat(reasonCode(connAck)).isZero();
        return connAck.variableHeader();
    }

    /** A persistent session subscribed to {@code filter}, connected. */
    private static MqttTestClient subscribe(MqttTestServer server, int level, String clientId, int qos, String filter) {
        MqttTestClient client = server.newClient(level).send(persistent(level, clientId).bytes());
        connAck(client);
        client.send(Packets.subscribe(level, 1, qos, filter));
        client.receive(MqttMessageType.SUBACK);
        return client;
    }

    /** A persistent session subscribed to {@code filter}, whose client then went away (DISCONNECT). */
    private static void offlineSubscriber(MqttTestServer server, int level, String clientId, int qos, String filter) {
        MqttTestClient client = subscribe(server, level, clientId, qos, filter);
        client.send(Packets.disconnect());
        client.awaitClosed();
    }

    /** Publishes with payload "x" and waits for the acknowledgement of a QoS 1/2 message. */
    private static void publish(MqttTestClient publisher, String topic, int qos, int packetId) {
        publisher.send(Packets.publish(V5, topic).qos(qos, qos == 0 ? 0 : packetId).payload("x").bytes());
        if (qos == 1) {
            publisher.receive(MqttMessageType.PUBACK);
        } else if (qos == 2) {
            publisher.receive(MqttMessageType.PUBREC);
            publisher.send(Packets.pubRel(packetId));
            publisher.receive(MqttMessageType.PUBCOMP);
        }
    }
}
