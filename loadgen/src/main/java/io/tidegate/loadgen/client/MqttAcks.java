package io.tidegate.loadgen.client;

import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;

/** Acknowledgement packets a client sends: PUBACK, PUBREC, PUBREL, PUBCOMP (success, so valid in 3.1.1 and 5). */
final class MqttAcks {

    private static final MqttFixedHeader PUBACK = header(MqttMessageType.PUBACK, MqttQoS.AT_MOST_ONCE);
    private static final MqttFixedHeader PUBREC = header(MqttMessageType.PUBREC, MqttQoS.AT_MOST_ONCE);
    /** PUBREL has fixed-header flags 0010, which the codec writes for QoS 1. */
    private static final MqttFixedHeader PUBREL = header(MqttMessageType.PUBREL, MqttQoS.AT_LEAST_ONCE);
    private static final MqttFixedHeader PUBCOMP = header(MqttMessageType.PUBCOMP, MqttQoS.AT_MOST_ONCE);

    private MqttAcks() {
    }

    static MqttMessage pubAck(int packetId) {
        return new MqttMessage(PUBACK, MqttMessageIdVariableHeader.from(packetId));
    }

    static MqttMessage pubRec(int packetId) {
        return new MqttMessage(PUBREC, MqttMessageIdVariableHeader.from(packetId));
    }

    static MqttMessage pubRel(int packetId) {
        return new MqttMessage(PUBREL, MqttMessageIdVariableHeader.from(packetId));
    }

    static MqttMessage pubComp(int packetId) {
        return new MqttMessage(PUBCOMP, MqttMessageIdVariableHeader.from(packetId));
    }

    private static MqttFixedHeader header(MqttMessageType type, MqttQoS qos) {
        return new MqttFixedHeader(type, false, qos, false, 0);
    }
}
