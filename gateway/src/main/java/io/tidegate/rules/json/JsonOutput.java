package io.tidegate.rules.json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that writes JSON text: raw bytes copied from a {@link JsonDocument},
 * escaped strings, numbers. Reused between messages; {@link #reset()} keeps the array.
 */
public final class JsonOutput {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final int RETAINED_CAPACITY = 64 * 1024;

    private byte[] bytes;
    private int length;

    public JsonOutput() {
        this(256);
    }

    public JsonOutput(int initialCapacity) {
        bytes = new byte[initialCapacity];
    }

    /** Empties the buffer; a very large array from an earlier message is let go. */
    public void reset() {
        if (bytes.length > RETAINED_CAPACITY) {
            bytes = new byte[256];
        }
        length = 0;
    }

    /** The buffer; only {@code [0, length())} is written. Valid until the next write or reset. */
    public byte[] array() {
        return bytes;
    }

    public int length() {
        return length;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    public JsonOutput write(int b) {
        ensure(1);
        bytes[length++] = (byte) b;
        return this;
    }

    public JsonOutput write(byte[] source) {
        return write(source, 0, source.length);
    }

    public JsonOutput write(byte[] source, int offset, int count) {
        ensure(count);
        System.arraycopy(source, offset, bytes, length, count);
        length += count;
        return this;
    }

    /** Text known to be ASCII, such as a number's {@code toString()}. */
    public JsonOutput writeAscii(String text) {
        int count = text.length();
        ensure(count);
        for (int i = 0; i < count; i++) {
            bytes[length++] = (byte) text.charAt(i);
        }
        return this;
    }

    public JsonOutput writeLong(long value) {
        if (value == Long.MIN_VALUE) {
            return writeAscii("-9223372036854775808");
        }
        ensure(20);
        if (value < 0) {
            bytes[length++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long rest = value / 10; rest != 0; rest /= 10) {
            digits++;
        }
        int pos = length + digits;
        length = pos;
        do {
            bytes[--pos] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value != 0);
        return this;
    }

    /** A JSON string literal: quoted, escaped, UTF-8 encoded. */
    public JsonOutput writeString(String text) {
        int count = text.length();
        ensure(count + 2);
        bytes[length++] = '"';
        for (int i = 0; i < count; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                ensure(1);
                bytes[length++] = (byte) c;
            } else if (c < 0x80) {
                writeEscaped(c);
            } else if (Character.isHighSurrogate(c) && i + 1 < count && Character.isLowSurrogate(text.charAt(i + 1))) {
                writeCodePoint(Character.toCodePoint(c, text.charAt(++i)));
            } else if (Character.isSurrogate(c)) {
                writeUnicodeEscape(c); // unpaired: no UTF-8 form, keep it visible as an escape
            } else {
                writeCodePoint(c);
            }
        }
        return write('"');
    }

    private void writeEscaped(char c) {
        switch (c) {
            case '"' -> write('\\').write('"');
            case '\\' -> write('\\').write('\\');
            case '\n' -> write('\\').write('n');
            case '\r' -> write('\\').write('r');
            case '\t' -> write('\\').write('t');
            case '\b' -> write('\\').write('b');
            case '\f' -> write('\\').write('f');
            default -> writeUnicodeEscape(c);
        }
    }

    private void writeUnicodeEscape(char c) {
        ensure(6);
        bytes[length++] = '\\';
        bytes[length++] = 'u';
        bytes[length++] = HEX[c >> 12 & 0xF];
        bytes[length++] = HEX[c >> 8 & 0xF];
        bytes[length++] = HEX[c >> 4 & 0xF];
        bytes[length++] = HEX[c & 0xF];
    }

    private void writeCodePoint(int cp) {
        ensure(4);
        if (cp < 0x800) {
            bytes[length++] = (byte) (0xC0 | cp >> 6);
            bytes[length++] = (byte) (0x80 | cp & 0x3F);
        } else if (cp < 0x10000) {
            bytes[length++] = (byte) (0xE0 | cp >> 12);
            bytes[length++] = (byte) (0x80 | cp >> 6 & 0x3F);
            bytes[length++] = (byte) (0x80 | cp & 0x3F);
        } else {
            bytes[length++] = (byte) (0xF0 | cp >> 18);
            bytes[length++] = (byte) (0x80 | cp >> 12 & 0x3F);
            bytes[length++] = (byte) (0x80 | cp >> 6 & 0x3F);
            bytes[length++] = (byte) (0x80 | cp & 0x3F);
        }
    }

    private void ensure(int extra) {
        if (length + extra > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + extra));
        }
    }
}
