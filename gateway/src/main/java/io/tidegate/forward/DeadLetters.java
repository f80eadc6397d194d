package io.tidegate.forward;

import io.tidegate.outbox.MessageProperties;
import io.tidegate.outbox.Outbox;
import io.tidegate.outbox.OutboxAppender;
import io.tidegate.outbox.OutboxEntry;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The dead-letter outbox of one destination ({@code <dataDir>/deadletter/<destination>}): entries
 * the destination can never accept, kept unchanged except for two MQTT user properties appended
 * after the message's own: {@value #REASON_PROPERTY} (why) and {@value #DESTINATION_PROPERTY}
 * (which destination refused it). Same entry format as every outbox, so {@code tidegate outbox
 * dump deadletter/<destination>} reads it. Thread-confined to its forwarder (the appender is).
 */
public final class DeadLetters implements AutoCloseable {

    public static final String REASON_PROPERTY = "tidegate.deadletter.reason";
    public static final String DESTINATION_PROPERTY = "tidegate.deadletter.destination";
    /** Folder under the data directory; also the prefix of a dead-letter outbox's name. */
    public static final String FOLDER = "deadletter";

    private final Outbox outbox;
    private final String destination;
    private OutboxAppender appender;

    public DeadLetters(Outbox outbox, String destination) {
        this.outbox = outbox;
        this.destination = destination;
    }

    /** Where the dead-letter outbox of {@code destination} lives. */
    public static Path directory(Path dataDir, String destination) {
        return dataDir.resolve(FOLDER).resolve(destination);
    }

    public static String outboxName(String destination) {
        return FOLDER + "/" + destination;
    }

    /** Appends {@code entry} with the reason; returns when it is in the memory-mapped queue file. */
    void add(OutboxEntry entry, String reason) {
        if (appender == null) {
            appender = outbox.newAppender();
        }
        MessageProperties p = entry.properties();
        List<Map.Entry<String, String>> user = new ArrayList<>(p.userProperties());
        user.add(Map.entry(REASON_PROPERTY, reason == null ? "unknown" : reason));
        user.add(Map.entry(DESTINATION_PROPERTY, destination));
        MessageProperties marked = new MessageProperties(p.payloadFormatUtf8(), p.messageExpirySeconds(),
                p.contentType(), p.responseTopic(), p.correlationData(), user);
        appender.append(entry.messageId().getMostSignificantBits(), entry.messageId().getLeastSignificantBits(),
                entry.ingestTimeMillis(), entry.clientId(), entry.topic(), entry.qos(), entry.retain(), marked,
                entry.actionSettings(), entry.payload(), entry.payload().length);
    }

    public Outbox outbox() {
        return outbox;
    }

    @Override
    public void close() {
        if (appender != null) {
            appender.close();
            appender = null;
        }
    }
}
