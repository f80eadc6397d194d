package io.tidegate.mqtt;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The one place where the server ends a connection: it sends what the protocol version allows
 * (an MQTT 5 DISCONNECT or CONNACK with a reason code; MQTT 3.1.1 only has CONNACK codes, else a
 * plain close), logs the event to the {@code tidegate.event} logger and counts it.
 */
public final class MqttDisconnector {

    private static final Logger events = LoggerFactory.getLogger("tidegate.event");

    private static final long LAST_WRITE_TIMEOUT_MS = 2_000;
    private static final AttributeKey<Boolean> SENT_DISCONNECT = AttributeKey.valueOf("tidegate.sentDisconnect");

    private final MqttMetrics metrics;

    public MqttDisconnector(MqttMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * Disconnects a connected client: MQTT 5 gets a DISCONNECT with {@code reasonCode} and
     * {@code reasonString}; MQTT 3.1.1 is closed.
     */
    public void disconnect(Channel channel, MqttVersion version, byte reasonCode, String reason, String clientId) {
        events.info("disconnect client={} remote={} reason={} code={}", clientId, channel.remoteAddress(), reason,
                ReasonCodes.hex(reasonCode));
        metrics.disconnect(reason);
        if (!channel.isActive()) {
            return;
        }
        channel.attr(SENT_DISCONNECT).set(Boolean.TRUE);
        if (version == MqttVersion.MQTT_5) {
            MqttProperties properties = new MqttProperties();
            properties.add(new MqttProperties.StringProperty(MqttProperties.MqttPropertyType.REASON_STRING.value(),
                    reason));
            closeAfter(channel, channel.writeAndFlush(
                    MqttMessageBuilders.disconnect().reasonCode(reasonCode).properties(properties).build()));
        } else {
            channel.close();
        }
    }

    /** Whether the server ended this connection: nothing more may be written to it. */
    static boolean sentDisconnect(Channel channel) {
        return channel.hasAttr(SENT_DISCONNECT);
    }

    /** Refuses a CONNECT with a CONNACK carrying {@code code}, then closes. */
    public void refuseConnect(Channel channel, MqttConnectReturnCode code, String reason, String clientId) {
        events.info("connect refused client={} remote={} reason={} code={}", clientId, channel.remoteAddress(), reason,
                code);
        metrics.disconnect(reason);
        if (!channel.isActive()) {
            return;
        }
        MqttConnAckMessage connAck = MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false).build();
        closeAfter(channel, channel.writeAndFlush(connAck));
    }

    /**
     * Closes once the last packet is written, or after {@link #LAST_WRITE_TIMEOUT_MS} if the client
     * does not read it (a full socket): a disconnect must end the connection, e.g. so that a session
     * taken over does not keep its new connection waiting [MQTT-4.13.2-1].
     */
    private static void closeAfter(Channel channel, ChannelFuture lastWrite) {
        lastWrite.addListener(ChannelFutureListener.CLOSE);
        if (!lastWrite.isDone()) {
            channel.eventLoop().schedule(() -> channel.close(), LAST_WRITE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** Closes without a packet: before CONNECT, or where the protocol allows no answer. */
    public void close(Channel channel, String reason, String clientId) {
        events.info("close client={} remote={} reason={}", clientId, channel.remoteAddress(), reason);
        metrics.disconnect(reason);
        channel.close();
    }
}
