package io.tidegate.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * One device connection: the server's {@code EmbeddedChannel} with the real MQTT pipeline, fed raw
 * bytes, and a second channel with a netty {@link MqttDecoder} that reads what the server wrote the
 * way the device would. Replies that depend on the ring are waited for by running the channel's
 * tasks in a bounded loop. Every buffer taken out of a channel is released.
 */
final class MqttTestClient implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(5);
    private static final AttributeKey<MqttVersion> CODEC_VERSION = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");

    private final EmbeddedChannel channel;
    private final EmbeddedChannel device;
    private final Runnable handOver;
    private final List<MqttMessage> received = new ArrayList<>();

    MqttTestClient(EmbeddedChannel channel, int level, Runnable handOver) {
        this.channel = channel;
        this.handOver = handOver;
        this.device = new EmbeddedChannel(new MqttDecoder(1 << 20));
        device.attr(CODEC_VERSION).set(level == Packets.V5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1);
    }

    EmbeddedChannel channel() {
        return channel;
    }

    /** Writes one or more whole packets, as one read from the socket; the pipeline must consume every byte. */
    MqttTestClient send(byte[] packets) {
        // Unpooled, so refCnt() stays meaningful after release (a pooled buffer is recycled at once),
        // yet tracked by the leak detector, unlike Unpooled.wrappedBuffer.
        ByteBuf bytes = UnpooledByteBufAllocator.DEFAULT.heapBuffer(packets.length).writeBytes(packets);
        channel.writeInbound(bytes);
        channel.runPendingTasks();
        assertThat(bytes.refCnt()).as("references left on the inbound buffer").isZero();
        return this;
    }

    /**
     * Writes a packet the server is expected to hold on to for now (a PUBLISH waiting for room),
     * so its buffer is not released yet.
     */
    MqttTestClient sendHeld(byte[] packets) {
        channel.writeInbound(UnpooledByteBufAllocator.DEFAULT.heapBuffer(packets.length).writeBytes(packets));
        channel.runPendingTasks();
        return this;
    }

    /** The next packet the server wrote, as raw bytes, waiting up to {@link #WAIT}. */
    byte[] receiveRaw() {
        ByteBuf next = nextOutbound(WAIT);
        if (next == null) {
            fail("no packet from the server within %s (connection %s)", WAIT, channel.isActive() ? "open" : "closed");
        }
        try {
            return ByteBufUtil.getBytes(next);
        } finally {
            next.release();
        }
    }

    /** The next packet the server wrote, decoded, waiting up to {@link #WAIT}. */
    MqttMessage receive() {
        ByteBuf wire = device.alloc().buffer().writeBytes(receiveRaw());
        device.writeInbound(wire);
        MqttMessage message = device.readInbound();
        assertThat(message).as("a whole packet in the server's write").isNotNull();
        received.add(message);
        assertThat(message.decoderResult().isSuccess()).as("server wrote a well-formed packet: %s", message).isTrue();
        assertThat((Object) device.readInbound()).as("one packet per write").isNull();
        return message;
    }

    /** The next packet, which must be of {@code type}. */
    MqttMessage receive(MqttMessageType type) {
        MqttMessage message = receive();
        assertThat(message.fixedHeader().messageType()).as("packet type of %s", message).isEqualTo(type);
        return message;
    }

    /** Asserts the server has written nothing yet, without letting the ring's replies through. */
    void assertNoReplyYet() {
        assertThat(channel.outboundMessages()).as("packets written by the server").isEmpty();
    }

    /** Lets everything the ring stored so far through, then asserts the server wrote nothing. */
    void assertNothingReceived() {
        handOver.run();
        channel.runPendingTasks();
        assertThat(channel.outboundMessages()).as("packets written by the server").isEmpty();
    }

    boolean isOpen() {
        return channel.isActive();
    }

    /** Waits until the server closed the connection, and lets the close run its course. */
    void awaitClosed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (channel.isActive()) {
            if (System.nanoTime() - deadline > 0) {
                fail("the server did not close the connection within %s", timeout);
            }
            channel.runPendingTasks();
            LockSupport.parkNanos(1_000_000);
        }
        channel.runPendingTasks();
    }

    void awaitClosed() {
        awaitClosed(WAIT);
    }

    /** Keeps running the channel's timers for {@code period} and asserts the server never closed it. */
    void assertOpenFor(Duration period) {
        long deadline = System.nanoTime() + period.toNanos();
        while (System.nanoTime() - deadline < 0) {
            channel.runPendingTasks();
            channel.runScheduledPendingTasks();
            assertThat(channel.isActive()).as("connection still open").isTrue();
            LockSupport.parkNanos(10_000_000);
        }
    }

    /** The network drops: the connection closes without a DISCONNECT from the device. */
    void drop() {
        channel.close();
        channel.runPendingTasks();
    }

    private ByteBuf nextOutbound(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteBuf next;
        while ((next = channel.readOutbound()) == null) {
            if (System.nanoTime() - deadline > 0) {
                return null;
            }
            handOver.run();
            channel.runPendingTasks();
            if (channel.outboundMessages().isEmpty()) {
                LockSupport.parkNanos(1_000_000);
            }
        }
        return next;
    }

    @Override
    public void close() {
        try {
            assertThat(channel.inboundMessages()).as("packets no handler consumed").isEmpty();
            channel.finishAndReleaseAll();
        } finally {
            received.forEach(ReferenceCountUtil::release);
            received.clear();
            device.finishAndReleaseAll();
        }
    }

    // ---- reading decoded replies ----

    /** The reason code of a CONNACK, PUBACK/PUBREC/PUBREL/PUBCOMP or DISCONNECT, as an unsigned value. */
    static int reasonCode(MqttMessage message) {
        Object header = message.variableHeader();
        if (header instanceof MqttConnAckVariableHeader connAck) {
            return connAck.connectReturnCode().byteValue() & 0xFF;
        }
        if (header instanceof MqttPubReplyMessageVariableHeader reply) {
            return reply.reasonCode() & 0xFF;
        }
        if (header instanceof MqttReasonCodeAndPropertiesVariableHeader disconnect) {
            return disconnect.reasonCode() & 0xFF;
        }
        if (header == null && message.fixedHeader().messageType() == MqttMessageType.DISCONNECT) {
            return 0;
        }
        throw new AssertionError("no reason code in " + message);
    }

    static int packetId(MqttMessage message) {
        Object header = message.variableHeader();
        if (header instanceof MqttMessageIdVariableHeader id) {
            return id.messageId();
        }
        if (header instanceof MqttPublishVariableHeader publish) {
            return publish.packetId();
        }
        throw new AssertionError("no packet identifier in " + message);
    }
}
