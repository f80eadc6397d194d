package io.tidegate.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.tidegate.pipeline.IngestEvent;
import io.tidegate.pipeline.IngestEventWriter;

/**
 * Non-capturing writers that copy a PUBLISH (or a will) into a ring slot. They run inside the
 * ring's claim, so they must not throw: everything that can fail is checked before.
 */
final class IngestWriters {

    /** Copies a device's PUBLISH; the connection's {@code publishProperties} were set by the caller. */
    static final IngestEventWriter<MqttConnection, MqttPublishMessage> PUBLISH = (event, connection, message) -> {
        MqttPublishVariableHeader header = message.variableHeader();
        event.set(connection, header.packetId(), message.fixedHeader().qosLevel().value(),
                message.fixedHeader().isRetain(), connection.clientId(), header.topicName(),
                connection.publishProperties, System.currentTimeMillis(), System.nanoTime());
        event.principal(connection.identity().name());
        ByteBuf payload = message.payload();
        int length = payload.readableBytes();
        payload.getBytes(payload.readerIndex(), event.payloadBuffer(length), 0, length);
    };

    /** Copies a will; it is nobody's PUBLISH, so it carries no packet id and gets no acknowledgement. */
    static final IngestEventWriter<MqttSession, Will> WILL = (event, session, will) -> {
        event.set(session, 0, will.qos(), will.retain(), session.clientId(), will.topic(), will.properties(),
                System.currentTimeMillis(), System.nanoTime());
        event.principal(session.owner().name());
        byte[] payload = will.payload();
        System.arraycopy(payload, 0, event.payloadBuffer(payload.length), 0, payload.length);
    };

    private IngestWriters() {
    }
}
