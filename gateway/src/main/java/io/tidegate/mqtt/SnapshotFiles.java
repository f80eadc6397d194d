package io.tidegate.mqtt;

import io.tidegate.outbox.MessageProperties;
import org.slf4j.Logger;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the MQTT layer's snapshot files share: a header (magic, version), whole-file replacement
 * (written aside, forced to disk, renamed, so a crash leaves the previous file whole), setting an
 * unreadable file aside, and the encoding of strings, MQTT 5 properties and messages.
 */
final class SnapshotFiles {

    /** Writes the body of a snapshot. */
    interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    /** Reads the body of a snapshot. */
    interface Reader {
        void read(DataInputStream in) throws IOException;
    }

    private SnapshotFiles() {
    }

    static void save(Path file, int magic, int version, Body body) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temporary)))) {
            out.writeInt(magic);
            out.writeByte(version);
            body.write(out);
        }
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads {@code file} if it exists; a file that cannot be read is renamed {@code .unreadable} and
     * logged, and false is returned (the caller starts without it).
     */
    static boolean load(Path file, int magic, int version, String what, Logger log, Reader reader) {
        if (!Files.exists(file)) {
            return false;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != magic || in.readUnsignedByte() != version) {
                throw new IOException("not a " + what + " snapshot of this version");
            }
            reader.read(in);
            return true;
        } catch (IOException | RuntimeException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".unreadable");
            log.error("cannot read the {} in {} ({}); starting without them, the file is kept as {}", what, file,
                    e.toString(), aside);
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                log.warn("cannot rename {}", file, moveFailed);
            }
            return false;
        }
    }

    /** Topic, properties, receive time and payload of a message. */
    static void writePublish(DataOutputStream out, OutboundPublish publish) throws IOException {
        writeString(out, publish.topic());
        writeProperties(out, publish.properties());
        out.writeLong(publish.receivedAtMillis());
        out.writeInt(publish.payload().length);
        out.write(publish.payload());
    }

    static OutboundPublish readPublish(DataInputStream in) throws IOException {
        String topic = readString(in);
        MessageProperties properties = readProperties(in);
        long receivedAt = in.readLong();
        return new OutboundPublish(topic, readBytes(in), properties, receivedAt);
    }

    static void writeProperties(DataOutputStream out, MessageProperties p) throws IOException {
        out.writeBoolean(p.payloadFormatUtf8());
        out.writeLong(p.messageExpirySeconds() == null ? -1 : p.messageExpirySeconds());
        writeNullable(out, p.contentType());
        writeNullable(out, p.responseTopic());
        out.writeInt(p.correlationData() == null ? -1 : p.correlationData().length);
        if (p.correlationData() != null) {
            out.write(p.correlationData());
        }
        out.writeInt(p.userProperties().size());
        for (Map.Entry<String, String> user : p.userProperties()) {
            writeString(out, user.getKey());
            writeString(out, user.getValue());
        }
    }

    static MessageProperties readProperties(DataInputStream in) throws IOException {
        boolean utf8 = in.readBoolean();
        long expiry = in.readLong();
        String contentType = readNullable(in);
        String responseTopic = readNullable(in);
        int correlationLength = in.readInt();
        byte[] correlation = null;
        if (correlationLength >= 0) {
            correlation = new byte[correlationLength];
            in.readFully(correlation);
        }
        int users = in.readInt();
        List<Map.Entry<String, String>> user = new ArrayList<>(users);
        for (int i = 0; i < users; i++) {
            user.add(Map.entry(readString(in), readString(in)));
        }
        MessageProperties properties = new MessageProperties(utf8, expiry < 0 ? null : expiry, contentType,
                responseTopic, correlation, user);
        return properties.isEmpty() ? MessageProperties.NONE : properties;
    }

    static void writeNullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            writeString(out, value);
        }
    }

    static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? readString(in) : null;
    }

    /** Length-prefixed UTF-8 (not writeUTF: its modified UTF-8 caps some valid 65,535-byte strings). */
    static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > 1 << 20) {
            throw new IOException("string of " + length + " bytes");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > 256 << 20) {
            throw new IOException("payload of " + length + " bytes");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }
}
