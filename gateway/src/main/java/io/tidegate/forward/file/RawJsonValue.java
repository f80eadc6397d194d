package io.tidegate.forward.file;

import com.fasterxml.jackson.core.SerializableString;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A payload already checked to be one JSON value in plain UTF-8, handed to
 * {@code JsonGenerator.writeRawValue} as bytes: Jackson copies it straight into its output buffer,
 * with no String in between. Line breaks become spaces on the way; JSON allows them only between
 * tokens, where a space means the same, and the file sink writes one message per line. Reused for
 * every payload, so it is only ever "unquoted UTF-8"; the quoted forms are not needed for a raw value.
 */
final class RawJsonValue implements SerializableString {

    private byte[] bytes;

    RawJsonValue of(byte[] payload) {
        this.bytes = payload;
        return this;
    }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
        int length = bytes.length;
        if (offset + length > buffer.length) {
            return -1; // Jackson falls back to asUnquotedUTF8
        }
        for (int i = 0; i < length; i++) {
            byte b = bytes[i];
            buffer[offset + i] = b == '\n' || b == '\r' ? (byte) ' ' : b;
        }
        return length;
    }

    @Override
    public byte[] asUnquotedUTF8() {
        byte[] copy = new byte[bytes.length];
        appendUnquotedUTF8(copy, 0);
        return copy;
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
        byte[] copy = asUnquotedUTF8();
        out.write(copy);
        return copy.length;
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer buffer) {
        if (buffer.remaining() < bytes.length) {
            return -1;
        }
        buffer.put(asUnquotedUTF8());
        return bytes.length;
    }

    @Override
    public String getValue() {
        return new String(asUnquotedUTF8(), StandardCharsets.UTF_8);
    }

    @Override
    public int charLength() {
        return getValue().length();
    }

    @Override
    public int appendUnquoted(char[] buffer, int offset) {
        String value = getValue();
        if (offset + value.length() > buffer.length) {
            return -1;
        }
        value.getChars(0, value.length(), buffer, offset);
        return value.length();
    }

    @Override
    public char[] asQuotedChars() {
        throw quotedNotSupported();
    }

    @Override
    public byte[] asQuotedUTF8() {
        throw quotedNotSupported();
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) {
        throw quotedNotSupported();
    }

    @Override
    public int appendQuoted(char[] buffer, int offset) {
        throw quotedNotSupported();
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) {
        throw quotedNotSupported();
    }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) {
        throw quotedNotSupported();
    }

    private static UnsupportedOperationException quotedNotSupported() {
        return new UnsupportedOperationException("a raw JSON value is written unquoted");
    }
}
