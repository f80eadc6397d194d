package io.tidegate.mqtt;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The connected sessions by client id; a second connection with the same id takes the slot over. */
public final class SessionRegistry {

    private final ConcurrentMap<String, MqttSession> sessions = new ConcurrentHashMap<>();

    /** Registers {@code session}; returns the session it replaces, which the caller disconnects. */
    MqttSession register(MqttSession session) {
        return sessions.put(session.clientId(), session);
    }

    /** Removes {@code session} if it is still the one registered for its client id. */
    void remove(MqttSession session) {
        sessions.remove(session.clientId(), session);
    }

    public int size() {
        return sessions.size();
    }

    public Collection<MqttSession> all() {
        return sessions.values();
    }
}
