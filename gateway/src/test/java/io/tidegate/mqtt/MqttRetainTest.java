package io.tidegate.mqtt;

import static io.tidegate.mqtt.MqttTestClient.packetId;
import static io.tidegate.mqtt.Packets.V311;
import static io.tidegate.mqtt.Packets.V5;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.tidegate.outbox.MessageProperties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Retained messages and the MQTT 5 subscription options (No Local, Retain As Published, Retain Handling). */
@ExtendWith(NettyLeakCheck.class)
class MqttRetainTest {

    @TempDir
    Path dataDir;

    @ParameterizedTest(name = "protocol level {0}")
    @ValueSource(ints = {V311, V5})
    @DisplayName("[MQTT-3.3.1-5, -8] a retained message is kept and sent to a new subscription with RETAIN 1")
    void retainedMessageGoesToANewSubscription(int level) {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient publisher = server.connect(level, "dev-1");
            publish(publisher, level, "dt/dev-1/state", "on", 1, true);

            MqttTestClient subscriber = server.connect(level, "sub-1");
            subscriber.send(Packets.subscribe(level, 2, 1, "dt/+/state"));
            assertThat(((MqttSubAckMessage) subscriber.receive(MqttMessageType.SUBACK)).payload().reasonCodes())
                    .containsExactly(1);

            MqttPublishMessage retained = (MqttPublishMessage) subscriber.receive(MqttMessageType.PUBLISH);
            assertThat(retained.fixedHeader().isRetain()).isTrue();
            assertThat(retained.fixedHeader().qosLevel().value()).isEqualTo(1);
            assertThat(retained.variableHeader().topicName()).isEqualTo("dt/dev-1/state");
            assertThat(text(retained)).isEqualTo("on");
        }
    }

    @ParameterizedTest(name = "protocol level {0}")
    @ValueSource(ints = {V311, V5})
    @DisplayName("[MQTT-3.3.1-9] an established subscription gets a retained publish with RETAIN 0")
    void establishedSubscriptionGetsRetainCleared(int level) {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient subscriber = subscribed(server, level, "sub-1", "dt/#");
            MqttTestClient publisher = server.connect(level, "dev-1");

            publish(publisher, level, "dt/dev-1/state", "on", 0, true);

            MqttPublishMessage delivered = (MqttPublishMessage) subscriber.receive(MqttMessageType.PUBLISH);
            assertThat(delivered.fixedHeader().isRetain()).isFalse();
            assertThat(text(delivered)).isEqualTo("on");
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.1-10, -11] a retained publish with an empty payload is delivered and clears the retained message")
    void emptyRetainedPayloadClears() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient publisher = server.connect(V311, "dev-1");
            publish(publisher, V311, "dt/dev-1/state", "on", 1, true);
            MqttTestClient existing = subscribed(server, V311, "sub-0", "dt/dev-1/state");
            assertThat(text((MqttPublishMessage) existing.receive(MqttMessageType.PUBLISH))).isEqualTo("on");

            publish(publisher, V311, "dt/dev-1/state", "", 1, true);

            MqttPublishMessage empty = (MqttPublishMessage) existing.receive(MqttMessageType.PUBLISH);
            assertThat(empty.payload().readableBytes()).isZero();
            existing.send(Packets.pubAck(packetId(empty)));
            assertThat(server.context().retained().size()).isZero();
            MqttTestClient late = subscribed(server, V311, "sub-1", "dt/dev-1/state");
            late.assertNothingReceived();
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.1-5] a new retained message replaces the topic's previous one")
    void newRetainedMessageReplacesTheOld() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient publisher = server.connect(V5, "dev-1");
            publish(publisher, V5, "dt/dev-1/state", "on", 1, true);
            publish(publisher, V5, "dt/dev-1/state", "off", 1, true);
            publish(publisher, V5, "dt/dev-1/other", "not retained", 1, false);

            MqttTestClient subscriber = subscribed(server, V5, "sub-1", "dt/dev-1/#");

            MqttPublishMessage retained = (MqttPublishMessage) subscriber.receive(MqttMessageType.PUBLISH);
            assertThat(text(retained)).isEqualTo("off");
            subscriber.send(Packets.pubAck(packetId(retained)));
            subscriber.assertNothingReceived();
        }
    }

    @Test
    @DisplayName("[MQTT-3.8.3.1] 5.0 Retain Handling 1 sends retained messages only for a new subscription, 2 never")
    void retainHandling() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            publish(server.connect(V5, "dev-1"), V5, "dt/dev-1/state", "on", 1, true);
            MqttTestClient subscriber = server.connect(V5, "sub-1");

            subscriber.send(Packets.subscribe(1, "dt/dev-1/state", 0, false, false, 1));
            subscriber.receive(MqttMessageType.SUBACK);
            assertThat(text((MqttPublishMessage) subscriber.receive(MqttMessageType.PUBLISH))).isEqualTo("on");
            subscriber.send(Packets.subscribe(2, "dt/dev-1/state", 0, false, false, 1));
            subscriber.receive(MqttMessageType.SUBACK);
            subscriber.assertNothingReceived();

            MqttTestClient never = server.connect(V5, "sub-2");
            never.send(Packets.subscribe(1, "dt/dev-1/state", 0, false, false, 2));
            never.receive(MqttMessageType.SUBACK);
            never.assertNothingReceived();

            subscriber.send(Packets.subscribe(3, "dt/dev-1/state", 0, false, false, 0));
            subscriber.receive(MqttMessageType.SUBACK);
            assertThat(text((MqttPublishMessage) subscriber.receive(MqttMessageType.PUBLISH)))
                    .as("Retain Handling 0: sent at every SUBSCRIBE").isEqualTo("on");
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.1-12, -13] 5.0 Retain As Published keeps the RETAIN flag for an established subscription")
    void retainAsPublished() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient subscriber = server.connect(V5, "sub-1");
            subscriber.send(Packets.subscribe(1, "dt/#", 0, false, true, 0));
            subscriber.receive(MqttMessageType.SUBACK);
            MqttTestClient publisher = server.connect(V5, "dev-1");

            publish(publisher, V5, "dt/dev-1/state", "on", 0, true);
            publish(publisher, V5, "dt/dev-1/plain", "x", 0, false);

            assertThat(((MqttPublishMessage) subscriber.receive(MqttMessageType.PUBLISH)).fixedHeader().isRetain())
                    .isTrue();
            assertThat(((MqttPublishMessage) subscriber.receive(MqttMessageType.PUBLISH)).fixedHeader().isRetain())
                    .isFalse();
        }
    }

    @Test
    @DisplayName("[MQTT-3.8.3-3] 5.0 No Local: a client does not get its own messages, others do")
    void noLocal() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient client = server.connect(V5, "dev-1");
            client.send(Packets.subscribe(1, "dt/#", 0, true, false, 0));
            client.receive(MqttMessageType.SUBACK);
            MqttTestClient other = server.connect(V5, "dev-2");
            other.send(Packets.subscribe(1, "dt/#", 0, true, false, 0));
            other.receive(MqttMessageType.SUBACK);

            publish(client, V5, "dt/dev-1/x", "mine", 0, false);

            assertThat(text((MqttPublishMessage) other.receive(MqttMessageType.PUBLISH))).isEqualTo("mine");
            client.assertNothingReceived();
        }
    }

    @Test
    @DisplayName("[MQTT-4.7.2-1] wildcard filters do not get retained messages of '$' topics; the store is bounded")
    void retainedStoreMatchesLikeSubscriptionsAndIsBounded() {
        RetainedMessages store = new RetainedMessages(2);
        store.update(new OutboundPublish("$SYS/uptime", new byte[] {1}, MessageProperties.NONE), 0);
        store.update(new OutboundPublish("a/b", new byte[] {1}, MessageProperties.NONE), 1);
        assertThat(store.matching("#")).extracting(r -> r.publish().topic()).containsExactly("a/b");
        assertThat(store.matching("$SYS/#")).extracting(r -> r.publish().topic()).containsExactly("$SYS/uptime");
        assertThat(store.matching("a/b")).hasSize(1);

        assertThat(store.update(new OutboundPublish("c", new byte[] {1}, MessageProperties.NONE), 0)).isFalse();
        assertThat(store.refused()).isEqualTo(1);
        assertThat(store.update(new OutboundPublish("a/b", new byte[] {2}, MessageProperties.NONE), 0))
                .as("replacing works when full").isTrue();
    }

    @Test
    @DisplayName("[MQTT-3.3.2-6] 5.0: a delivered message carries its Message Expiry Interval minus the time it waited")
    void messageExpiryIsPassedOnLowered() {
        try (MqttTestServer server = MqttTestServer.start(dataDir)) {
            MqttTestClient subscriber = subscribed(server, V5, "sub-1", "dt/#");
            MqttTestClient publisher = server.connect(V5, "dev-1");

            publisher.send(Packets.publish(V5, "dt/dev-1/x").qos(1, 3).messageExpiry(60).payload("soon").bytes());

            MqttPublishMessage delivered = (MqttPublishMessage) subscriber.receive(MqttMessageType.PUBLISH);
            Object expiry = delivered.variableHeader().properties()
                    .getProperty(io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL
                            .value()).value();
            assertThat((Integer) expiry).isBetween(58, 60);
        }
        OutboundPublish waited = new OutboundPublish("t", new byte[] {1},
                new MessageProperties(false, 60L, null, null, null, java.util.List.of()),
                System.currentTimeMillis() - 10_000);
        MqttPublishMessage message = waited.toMessage(1, 1, io.netty.handler.codec.mqtt.MqttVersion.MQTT_5);
        Object lowered = message.variableHeader().properties().getProperty(
                io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value()).value();
        message.release();
        assertThat((Integer) lowered).isBetween(49, 50);
    }

    @Test
    @DisplayName("[MQTT-3.3.2-5] an expired message is not sent: not retained any more, not delivered from a queue")
    void expiredMessagesAreNotSent() {
        RetainedMessages store = new RetainedMessages();
        MessageProperties fiveSeconds = new MessageProperties(false, 5L, null, null, null, java.util.List.of());
        store.update(new OutboundPublish("a/old", new byte[] {1}, fiveSeconds, System.currentTimeMillis() - 6_000), 1);
        store.update(new OutboundPublish("a/new", new byte[] {1}, fiveSeconds, System.currentTimeMillis()), 1);

        assertThat(store.matching("a/#")).extracting(r -> r.publish().topic()).containsExactly("a/new");
        assertThat(store.size()).as("the expired one is dropped").isEqualTo(1);
        assertThat(new OutboundPublish("x", new byte[0], MessageProperties.NONE, 0).expired(Long.MAX_VALUE))
                .as("no expiry interval: never expires").isFalse();
    }

    private static MqttTestClient subscribed(MqttTestServer server, int level, String clientId, String filter) {
        MqttTestClient subscriber = server.connect(level, clientId);
        subscriber.send(Packets.subscribe(level, 1, 1, filter));
        subscriber.receive(MqttMessageType.SUBACK);
        return subscriber;
    }

    /** Publishes and, at QoS 1, waits for the PUBACK: then the message is stored and its retained state applied. */
    private static void publish(MqttTestClient client, int level, String topic, String payload, int qos,
                                boolean retain) {
        Packets.Publish publish = Packets.publish(level, topic).payload(payload);
        if (qos == 1) {
            publish.qos(1, 9);
        }
        if (retain) {
            publish.retain();
        }
        client.send(publish.bytes());
        if (qos == 1) {
            assertThat(packetId(client.receive(MqttMessageType.PUBACK))).isEqualTo(9);
        } else {
            client.assertNothingReceived();
        }
    }

    private static String text(MqttPublishMessage message) {
        return new String(ByteBufUtil.getBytes(message.payload()), StandardCharsets.UTF_8);
    }
}
