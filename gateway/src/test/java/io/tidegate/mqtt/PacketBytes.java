package io.tidegate.mqtt;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Writes MQTT wire fields by hand (MQTT 3.1.1/5.0 section 1.5), so the tests put on the wire
 * exactly the bytes a device would, independently of netty's encoder.
 */
final class PacketBytes {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A whole packet: {@code firstByte} (type and flags), the Remaining Length, then {@code body}. */
    static byte[] packet(int firstByte, PacketBytes body) {
        byte[] content = body.toByteArray();
        return new PacketBytes().u8(firstByte).varInt(content.length).bytes(content).toByteArray();
    }

    /** Bytes from hex, spaces allowed: {@code hex("C0 00")}. */
    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    PacketBytes u8(int value) {
        out.write(value);
        return this;
    }

    /** Two Byte Integer, big-endian. */
    PacketBytes u16(int value) {
        return u8(value >>> 8).u8(value & 0xFF);
    }

    /** Four Byte Integer, big-endian. */
    PacketBytes u32(long value) {
        return u16((int) (value >>> 16)).u16((int) (value & 0xFFFF));
    }

    /** UTF-8 Encoded String: a two-byte length, then the bytes. */
    PacketBytes utf8(String value) {
        return binary(value.getBytes(StandardCharsets.UTF_8));
    }

    /** Binary Data (or a string given as raw, possibly ill-formed, bytes): a two-byte length, then the bytes. */
    PacketBytes binary(byte[] value) {
        return u16(value.length).bytes(value);
    }

    /** Variable Byte Integer (a Remaining Length or a property length). */
    PacketBytes varInt(int value) {
        int remaining = value;
        do {
            int digit = remaining % 128;
            remaining /= 128;
            u8(remaining > 0 ? digit | 0x80 : digit);
        } while (remaining > 0);
        return this;
    }

    PacketBytes bytes(byte[] value) {
        out.writeBytes(value);
        return this;
    }

    /** MQTT 5 properties: their length as a Variable Byte Integer, then {@code properties}. */
    PacketBytes properties(PacketBytes properties) {
        byte[] content = properties.toByteArray();
        return varInt(content.length).bytes(content);
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
