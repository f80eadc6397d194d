package io.tidegate.mqtt;

import java.nio.charset.StandardCharsets;

/**
 * Device-side MQTT packets, hand-encoded with {@link PacketBytes}. {@code level} is the protocol
 * level of the connection: {@link #V311} or {@link #V5} (MQTT 5 packets carry properties).
 */
final class Packets {

    static final int V311 = 4;
    static final int V5 = 5;

    private Packets() {
    }

    static Connect connect(int level, String clientId) {
        return new Connect(level, clientId);
    }

    static Publish publish(int level, String topic) {
        return new Publish(level, topic.getBytes(StandardCharsets.UTF_8));
    }

    /** A PUBLISH whose topic is given as raw bytes, well-formed UTF-8 or not. */
    static Publish publish(int level, byte[] topic) {
        return new Publish(level, topic);
    }

    /** SUBSCRIBE asking {@code qos} for every filter. */
    static byte[] subscribe(int level, int packetId, int qos, String... filters) {
        PacketBytes body = new PacketBytes().u16(packetId);
        if (level == V5) {
            body.properties(new PacketBytes());
        }
        for (String filter : filters) {
            body.utf8(filter).u8(qos);
        }
        return PacketBytes.packet(0x82, body);
    }

    /**
     * MQTT 5 SUBSCRIBE of one filter with its Subscription Options byte: QoS, No Local,
     * Retain As Published, Retain Handling (0 to 2).
     */
    static byte[] subscribe(int packetId, String filter, int qos, boolean noLocal, boolean retainAsPublished,
                            int retainHandling) {
        int options = qos | (noLocal ? 0x04 : 0) | (retainAsPublished ? 0x08 : 0) | retainHandling << 4;
        PacketBytes body = new PacketBytes().u16(packetId).properties(new PacketBytes()).utf8(filter).u8(options);
        return PacketBytes.packet(0x82, body);
    }

    /** MQTT 5 SUBSCRIBE with a Subscription Identifier (0x0B), asking {@code qos} for every filter. */
    static byte[] subscribeWithId(int packetId, int subscriptionId, int qos, String... filters) {
        PacketBytes body = new PacketBytes().u16(packetId)
                .properties(new PacketBytes().u8(0x0B).varInt(subscriptionId));
        for (String filter : filters) {
            body.utf8(filter).u8(qos);
        }
        return PacketBytes.packet(0x82, body);
    }

    static byte[] unsubscribe(int level, int packetId, String... filters) {
        PacketBytes body = new PacketBytes().u16(packetId);
        if (level == V5) {
            body.properties(new PacketBytes());
        }
        for (String filter : filters) {
            body.utf8(filter);
        }
        return PacketBytes.packet(0xA2, body);
    }

    static byte[] pubAck(int packetId) {
        return PacketBytes.packet(0x40, new PacketBytes().u16(packetId));
    }

    static byte[] pubRec(int packetId) {
        return PacketBytes.packet(0x50, new PacketBytes().u16(packetId));
    }

    /** An MQTT 5 PUBREC with a reason code; 0x80 and above refuse the message. */
    static byte[] pubRec(int packetId, int reasonCode) {
        return PacketBytes.packet(0x50, new PacketBytes().u16(packetId).u8(reasonCode));
    }

    static byte[] pubRel(int packetId) {
        return PacketBytes.packet(0x62, new PacketBytes().u16(packetId));
    }

    static byte[] pubComp(int packetId) {
        return PacketBytes.packet(0x70, new PacketBytes().u16(packetId));
    }

    static byte[] pingReq() {
        return PacketBytes.hex("C0 00");
    }

    static byte[] disconnect() {
        return PacketBytes.hex("E0 00");
    }

    /** An MQTT 5 DISCONNECT with a reason code and a Session Expiry Interval (0x11). */
    static byte[] disconnect(int reasonCode, long sessionExpirySeconds) {
        return PacketBytes.packet(0xE0, new PacketBytes().u8(reasonCode)
                .properties(new PacketBytes().u8(0x11).u32(sessionExpirySeconds)));
    }

    /** An MQTT 5 DISCONNECT with a reason code, e.g. 0x04 "disconnect with will message". */
    static byte[] disconnect(int reasonCode) {
        return PacketBytes.packet(0xE0, new PacketBytes().u8(reasonCode));
    }

    /** CONNECT, clean start and a 60 s keep alive unless told otherwise. */
    static final class Connect {

        private final int level;
        private final String clientId;
        private String protocolName = "MQTT";
        private boolean cleanStart = true;
        private boolean reservedFlag;
        private int keepAliveSeconds = 60;
        private String willTopic;
        private String willPayload;
        private int willQos;
        private boolean willRetain;
        private int strayWillQos;
        private final PacketBytes properties = new PacketBytes();
        private final PacketBytes willProperties = new PacketBytes();
        private byte[] trailing = new byte[0];

        private Connect(int level, String clientId) {
            this.level = level;
            this.clientId = clientId;
        }

        Connect protocolName(String name) {
            this.protocolName = name;
            return this;
        }

        Connect cleanStart(boolean clean) {
            this.cleanStart = clean;
            return this;
        }

        /** Sets bit 0 of the Connect Flags, which must be zero [MQTT-3.1.2-3]. */
        Connect reservedFlag() {
            this.reservedFlag = true;
            return this;
        }

        Connect keepAlive(int seconds) {
            this.keepAliveSeconds = seconds;
            return this;
        }

        Connect will(String topic, String payload, int qos, boolean retain) {
            this.willTopic = topic;
            this.willPayload = payload;
            this.willQos = qos;
            this.willRetain = retain;
            return this;
        }

        /** Sets Will QoS bits without the Will Flag, which the specification forbids [MQTT-3.1.2-13]. */
        Connect strayWillQos(int qos) {
            this.strayWillQos = qos;
            return this;
        }

        /** MQTT 5 Receive Maximum (0x21). */
        Connect receiveMaximum(int value) {
            properties.u8(0x21).u16(value);
            return this;
        }

        /** MQTT 5 Maximum Packet Size (0x27). */
        Connect maximumPacketSize(long bytes) {
            properties.u8(0x27).u32(bytes);
            return this;
        }

        /** MQTT 5 Topic Alias Maximum (0x22): how many aliases the server may send. */
        Connect topicAliasMaximum(int value) {
            properties.u8(0x22).u16(value);
            return this;
        }

        /** MQTT 5 Will Delay Interval (0x18), a will property. */
        Connect willDelay(long seconds) {
            willProperties.u8(0x18).u32(seconds);
            return this;
        }

        /** MQTT 5 Session Expiry Interval (0x11). */
        Connect sessionExpiry(long seconds) {
            properties.u8(0x11).u32(seconds);
            return this;
        }

        /** The Session Expiry Interval when {@code condition} (a 5.0 CONNECT), else nothing. */
        Connect sessionExpiryIf(boolean condition, long seconds) {
            return condition ? sessionExpiry(seconds) : this;
        }

        /** MQTT 5 Request Response Information (0x19) = 1. */
        Connect requestResponseInformation() {
            properties.u8(0x19).u8(1);
            return this;
        }

        /** MQTT 5 Authentication Method (0x15): asks for enhanced authentication. */
        Connect authenticationMethod(String method) {
            properties.u8(0x15).utf8(method);
            return this;
        }

        /** Bytes after the last field, counted in the Remaining Length: a malformed packet. */
        Connect trailing(byte[] bytes) {
            this.trailing = bytes;
            return this;
        }

        byte[] bytes() {
            boolean will = willTopic != null;
            int flags = (cleanStart ? 0x02 : 0) | (reservedFlag ? 0x01 : 0)
                    | (will ? 0x04 | willQos << 3 | (willRetain ? 0x20 : 0) : strayWillQos << 3);
            PacketBytes body = new PacketBytes().utf8(protocolName).u8(level).u8(flags).u16(keepAliveSeconds);
            if (level == V5) {
                body.properties(properties);
            }
            body.utf8(clientId);
            if (will) {
                if (level == V5) {
                    body.properties(willProperties);
                }
                body.utf8(willTopic).binary(willPayload.getBytes(StandardCharsets.UTF_8));
            }
            body.bytes(trailing);
            return PacketBytes.packet(0x10, body);
        }
    }

    /** PUBLISH at QoS 0 with an empty payload unless told otherwise. */
    static final class Publish {

        private final int level;
        private final byte[] topic;
        private int qos;
        private int packetId;
        private boolean dup;
        private boolean retain;
        private byte[] payload = new byte[0];
        private final PacketBytes properties = new PacketBytes();

        private Publish(int level, byte[] topic) {
            this.level = level;
            this.topic = topic;
        }

        /** QoS 1 or 2 with its packet identifier. */
        Publish qos(int qos, int packetId) {
            this.qos = qos;
            this.packetId = packetId;
            return this;
        }

        Publish dup() {
            this.dup = true;
            return this;
        }

        Publish retain() {
            this.retain = true;
            return this;
        }

        Publish payload(String text) {
            return payload(text.getBytes(StandardCharsets.UTF_8));
        }

        Publish payload(byte[] bytes) {
            this.payload = bytes;
            return this;
        }

        /** MQTT 5 Content Type (0x03). */
        Publish contentType(String value) {
            properties.u8(0x03).utf8(value);
            return this;
        }

        /** MQTT 5 Subscription Identifier (0x0B): a client must not send one [MQTT-3.3.4-6]. */
        Publish subscriptionId(int id) {
            properties.u8(0x0B).varInt(id);
            return this;
        }

        /** MQTT 5 Topic Alias (0x23). */
        Publish topicAlias(int alias) {
            properties.u8(0x23).u16(alias);
            return this;
        }

        /** MQTT 5 Message Expiry Interval (0x02), in seconds. */
        Publish messageExpiry(int seconds) {
            properties.u8(0x02).u32(seconds);
            return this;
        }

        /** MQTT 5 User Property (0x26). */
        Publish userProperty(String key, String value) {
            properties.u8(0x26).utf8(key).utf8(value);
            return this;
        }

        byte[] bytes() {
            int firstByte = 0x30 | (dup ? 0x08 : 0) | qos << 1 | (retain ? 0x01 : 0);
            PacketBytes body = new PacketBytes().binary(topic);
            if (qos > 0) {
                body.u16(packetId);
            }
            if (level == V5) {
                body.properties(properties);
            }
            body.bytes(payload);
            return PacketBytes.packet(firstByte, body);
        }
    }
}
