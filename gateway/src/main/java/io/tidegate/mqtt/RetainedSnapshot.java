package io.tidegate.mqtt;

import io.tidegate.outbox.MessageProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Saves the retained messages to {@code <dataDir>/retained.snapshot} and loads them at start: on
 * shutdown, and every {@link #INTERVAL_SECONDS} s when they changed. Written to a temporary file,
 * forced to disk and renamed, so a crash leaves the previous snapshot whole. A snapshot that cannot
 * be read is set aside (renamed {@code .unreadable}) and the gateway starts without it.
 */
public final class RetainedSnapshot implements AutoCloseable {

    static final int INTERVAL_SECONDS = 5;
    private static final Logger log = LoggerFactory.getLogger(RetainedSnapshot.class);
    private static final int MAGIC = 0x54475254; // "TGRT"
    private static final int VERSION = 1;

    private final RetainedMessages retained;
    private final Path file;
    private final ScheduledExecutorService timer;
    private long savedChanges;

    private RetainedSnapshot(RetainedMessages retained, Path file) {
        this.retained = retained;
        this.file = file;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "tidegate-retained-snapshot");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Loads {@code file} into {@code retained} (if it exists) and starts saving it periodically. */
    public static RetainedSnapshot start(RetainedMessages retained, Path file) {
        RetainedSnapshot snapshot = new RetainedSnapshot(retained, file);
        snapshot.load();
        snapshot.savedChanges = retained.changes();
        snapshot.timer.scheduleWithFixedDelay(snapshot::saveIfChanged, INTERVAL_SECONDS, INTERVAL_SECONDS,
                TimeUnit.SECONDS);
        return snapshot;
    }

    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC || in.readUnsignedByte() != VERSION) {
                throw new IOException("not a retained-message snapshot of this version");
            }
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                int qos = in.readUnsignedByte();
                String topic = readString(in);
                MessageProperties properties = readProperties(in);
                long receivedAt = in.readLong();
                byte[] payload = new byte[in.readInt()];
                in.readFully(payload);
                retained.update(new OutboundPublish(topic, payload, properties, receivedAt), qos);
            }
            log.info("{} retained messages loaded from {}", count, file);
        } catch (IOException | RuntimeException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".unreadable");
            log.error("cannot read the retained messages in {} ({}); starting without them, the file is kept as {}",
                    file, e.toString(), aside);
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                log.warn("cannot rename {}", file, moveFailed);
            }
        }
    }

    private synchronized void saveIfChanged() {
        long changes = retained.changes();
        if (changes == savedChanges) {
            return;
        }
        try {
            save();
            savedChanges = changes;
        } catch (IOException | RuntimeException e) {
            log.warn("cannot save the retained messages to {}; trying again in {} s", file, INTERVAL_SECONDS, e);
        }
    }

    void save() throws IOException {
        List<RetainedMessages.Retained> all = new ArrayList<>();
        retained.all().forEach(all::add);
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temporary)))) {
            out.writeInt(MAGIC);
            out.writeByte(VERSION);
            out.writeInt(all.size());
            for (RetainedMessages.Retained message : all) {
                OutboundPublish publish = message.publish();
                out.writeByte(message.qos());
                writeString(out, publish.topic());
                writeProperties(out, publish.properties());
                out.writeLong(publish.receivedAtMillis());
                out.writeInt(publish.payload().length);
                out.write(publish.payload());
            }
        }
        try (var channel = java.nio.channels.FileChannel.open(temporary, java.nio.file.StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeProperties(DataOutputStream out, MessageProperties p) throws IOException {
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

    private static MessageProperties readProperties(DataInputStream in) throws IOException {
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

    private static void writeNullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            writeString(out, value);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? readString(in) : null;
    }

    /** Length-prefixed UTF-8 (not writeUTF: its modified UTF-8 caps some valid 65,535-byte strings). */
    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > 1 << 20) {
            throw new IOException("string of " + length + " bytes");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Stops the timer and saves what changed since the last save: call after the ring drained. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        saveIfChanged();
    }
}
