package io.tidegate.mqtt;

import io.tidegate.mqtt.topic.SharedSubscription;
import io.tidegate.mqtt.topic.SubscriptionOptions;
import io.tidegate.security.Identity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saves the offline sessions to {@code <dataDir>/sessions.snapshot} at shutdown, once every client
 * is disconnected, and loads them at the next start: a graceful restart keeps each session's
 * subscriptions, its unacknowledged and queued messages, its QoS 2 state and a will still waiting,
 * and its remaining expiry. The file is removed once loaded, so a crash after that start never
 * revives stale sessions: after a crash, clients find Session Present 0 and subscribe again.
 */
public final class SessionSnapshot {

    private static final Logger log = LoggerFactory.getLogger(SessionSnapshot.class);
    private static final int MAGIC = 0x54475353; // "TGSS"
    private static final int VERSION = 1;

    private SessionSnapshot() {
    }

    /** Restores the sessions saved in {@code file}, if any, and removes it. */
    public static void load(MqttServerContext server, Path file) {
        List<SessionRegistry.Saved> saved = new ArrayList<>();
        boolean read = SnapshotFiles.load(file, MAGIC, VERSION, "sessions", log, in -> {
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                saved.add(readSession(in));
            }
        });
        if (!read) {
            return;
        }
        saved.forEach(server.sessions()::restore);
        log.info("{} sessions loaded from {} ({} still valid)", saved.size(), file, server.sessions().size());
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("cannot remove {} after loading it", file, e);
        }
    }

    /** Saves the offline sessions; call after every connection is closed. */
    public static void save(MqttServerContext server, Path file) {
        List<SessionRegistry.Saved> sessions = server.sessions().save();
        if (sessions.isEmpty()) {
            return;
        }
        try {
            SnapshotFiles.save(file, MAGIC, VERSION, out -> {
                out.writeInt(sessions.size());
                for (SessionRegistry.Saved session : sessions) {
                    writeSession(out, session);
                }
            });
            log.info("{} sessions saved to {}", sessions.size(), file);
        } catch (IOException | RuntimeException e) {
            log.error("cannot save the sessions to {}: clients will find no session after the restart", file, e);
        }
    }

    private static void writeSession(DataOutputStream out, SessionRegistry.Saved s) throws IOException {
        SnapshotFiles.writeString(out, s.clientId());
        SnapshotFiles.writeNullable(out, s.owner().name());
        SnapshotFiles.writeString(out, s.owner().source());
        out.writeLong(s.expirySeconds());
        out.writeLong(s.expiresAtMillis());
        out.writeInt(s.subscriptions().size());
        for (Map.Entry<String, SubscriptionOptions> e : s.subscriptions().entrySet()) {
            SnapshotFiles.writeString(out, e.getKey());
            writeOptions(out, e.getValue());
        }
        out.writeInt(s.shared().size());
        for (Map.Entry<SharedSubscription, SubscriptionOptions> e : s.shared().entrySet()) {
            SnapshotFiles.writeString(out, e.getKey().shareName());
            SnapshotFiles.writeString(out, e.getKey().filter());
            writeOptions(out, e.getValue());
        }
        MqttSession.SessionState state = s.state();
        out.writeInt(state.inFlight().size());
        for (Map.Entry<Integer, MqttSession.InFlight> e : state.inFlight().entrySet()) {
            out.writeShort(e.getKey());
            out.writeBoolean(e.getValue().released);
            writeDelivery(out, e.getValue().delivery);
        }
        out.writeInt(state.pending().size());
        for (MqttSession.Delivery d : state.pending()) {
            writeDelivery(out, d);
        }
        out.writeInt(state.releasedQos2().size());
        for (int id : state.releasedQos2()) {
            out.writeShort(id);
        }
        out.writeShort(state.nextPacketId());
        Will will = s.pendingWill();
        out.writeBoolean(will != null);
        if (will != null) {
            SnapshotFiles.writeString(out, will.topic());
            SnapshotFiles.writeBytes(out, will.payload());
            out.writeByte(will.qos());
            out.writeBoolean(will.retain());
            SnapshotFiles.writeProperties(out, will.properties());
            out.writeLong(will.delaySeconds());
            out.writeLong(s.pendingWillDueMillis());
        }
    }

    private static SessionRegistry.Saved readSession(DataInputStream in) throws IOException {
        String clientId = SnapshotFiles.readString(in);
        String ownerName = SnapshotFiles.readNullable(in);
        String ownerSource = SnapshotFiles.readString(in);
        Identity owner = ownerName == null ? Identity.ANONYMOUS : new Identity(ownerName, ownerSource);
        long expirySeconds = in.readLong();
        long expiresAt = in.readLong();
        Map<String, SubscriptionOptions> subscriptions = new LinkedHashMap<>();
        for (int i = in.readInt(); i > 0; i--) {
            subscriptions.put(SnapshotFiles.readString(in), readOptions(in));
        }
        Map<SharedSubscription, SubscriptionOptions> shared = new LinkedHashMap<>();
        for (int i = in.readInt(); i > 0; i--) {
            shared.put(new SharedSubscription(SnapshotFiles.readString(in), SnapshotFiles.readString(in)),
                    readOptions(in));
        }
        Map<Integer, MqttSession.InFlight> inFlight = new LinkedHashMap<>();
        for (int i = in.readInt(); i > 0; i--) {
            int packetId = in.readUnsignedShort();
            boolean released = in.readBoolean();
            inFlight.put(packetId, new MqttSession.InFlight(readDelivery(in), released));
        }
        List<MqttSession.Delivery> pending = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            pending.add(readDelivery(in));
        }
        List<Integer> qos2 = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            qos2.add(in.readUnsignedShort());
        }
        int nextPacketId = Math.max(1, in.readUnsignedShort());
        Will will = null;
        long willDue = 0;
        if (in.readBoolean()) {
            String topic = SnapshotFiles.readString(in);
            byte[] payload = SnapshotFiles.readBytes(in);
            int qos = in.readUnsignedByte();
            boolean retain = in.readBoolean();
            will = new Will(topic, payload, qos, retain, SnapshotFiles.readProperties(in), in.readLong());
            willDue = in.readLong();
        }
        return new SessionRegistry.Saved(clientId, owner, expirySeconds, expiresAt, subscriptions, shared,
                new MqttSession.SessionState(inFlight, pending, qos2, nextPacketId), will, willDue);
    }

    private static void writeOptions(DataOutputStream out, SubscriptionOptions options) throws IOException {
        out.writeByte(options.qos());
        out.writeBoolean(options.noLocal());
        out.writeBoolean(options.retainAsPublished());
        out.writeInt(options.subscriptionId());
    }

    private static SubscriptionOptions readOptions(DataInputStream in) throws IOException {
        return new SubscriptionOptions(in.readUnsignedByte(), in.readBoolean(), in.readBoolean(), in.readInt());
    }

    private static void writeDelivery(DataOutputStream out, MqttSession.Delivery d) throws IOException {
        out.writeByte(d.qos());
        out.writeBoolean(d.retain());
        out.writeInt(d.subscriptionIds().length);
        for (int id : d.subscriptionIds()) {
            out.writeInt(id);
        }
        SnapshotFiles.writePublish(out, d.publish());
    }

    private static MqttSession.Delivery readDelivery(DataInputStream in) throws IOException {
        int qos = in.readUnsignedByte();
        boolean retain = in.readBoolean();
        int count = in.readInt();
        if (count < 0 || count > 1 << 16) {
            throw new IOException(count + " subscription identifiers");
        }
        int[] ids = count == 0 ? OutboundPublish.NO_SUBSCRIPTION_IDS : new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = in.readInt();
        }
        return new MqttSession.Delivery(SnapshotFiles.readPublish(in), qos, retain, ids);
    }
}
