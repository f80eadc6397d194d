package io.tidegate.mqtt;

import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import io.tidegate.config.MqttConfig;
import io.tidegate.mqtt.topic.SharedSubscription;
import io.tidegate.mqtt.topic.SubscriptionOptions;
import io.tidegate.security.Identity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The sessions by client id, and their life (MQTT 5 section 4.1, MQTT 3.1.1 section 3.1.2.4): a
 * CONNECT opens a new session or resumes the one the client left (Clean Start 0), taking it over
 * from a connection still attached; a closed connection ends its session, or leaves it offline
 * until its Session Expiry Interval passes; a will waits for its Will Delay Interval.
 *
 * <p>Every change of a session's life happens under this object's lock, which is also what hands
 * a session's state from one connection's event loop to the next. Connects and disconnects take
 * the lock; publishes never do. Work with side effects outside the session (disconnecting,
 * publishing wills, answering the new connection) runs after the lock is released.
 */
public final class SessionRegistry {

    private static final Logger events = LoggerFactory.getLogger("tidegate.event");

    /** What makes the connection for a session once the registry chose it. Called under the lock. */
    interface ConnectionFactory {
        MqttConnection create(MqttSession session);
    }

    /** Told, on the new connection's event loop, that it owns its session now. */
    interface Accepted {
        void accepted(MqttConnection connection, boolean sessionPresent);
    }

    /**
     * A CONNECT that was accepted and wants its session.
     *
     * @param cleanStart    MQTT 5 Clean Start, MQTT 3.1.1 Clean Session
     * @param expirySeconds the Session Expiry Interval in force, already capped by the configuration
     */
    record PendingOpen(Channel channel, String clientId, Identity identity, boolean cleanStart, long expirySeconds,
                       ConnectionFactory factory, Accepted accepted) {
    }

    /** An offline session as the snapshot keeps it. */
    record Saved(String clientId, Identity owner, long expirySeconds, long expiresAtMillis,
                 Map<String, SubscriptionOptions> subscriptions, Map<SharedSubscription, SubscriptionOptions> shared,
                 MqttSession.SessionState state, Will pendingWill, long pendingWillDueMillis) {
    }

    private final Map<String, MqttSession> sessions = new HashMap<>();
    private final MqttServerContext server;
    private final EventExecutor timers;

    /** @param timers runs session expiry and will delay timers, and retries of wills on a full ring */
    SessionRegistry(MqttServerContext server, EventExecutor timers) {
        this.server = server;
        this.timers = timers;
    }

    /**
     * Gives {@code request} its session: at once, or once the connection attached to it now is gone
     * (that one is disconnected with 0x8E, session taken over [MQTT-3.1.4-3]).
     */
    void open(PendingOpen request) {
        underLock(after -> {
            MqttSession existing = sessions.get(request.clientId());
            MqttConnection attached = existing == null ? null : existing.connection();
            if (attached != null) {
                PendingOpen earlier = existing.takeover;
                existing.takeover = request;
                if (earlier != null) {
                    // Two connections waiting for one session: the newer wins, as it would have taken over.
                    after.add(() -> server.disconnector().close(earlier.channel(), "session_taken_over",
                            earlier.clientId()));
                }
                after.add(() -> server.disconnector().disconnect(attached.channel(), attached.version(),
                        ReasonCodes.SESSION_TAKEN_OVER, "session_taken_over", attached.clientId()));
            } else {
                openLocked(existing, request, after);
            }
        });
    }

    /**
     * Runs {@code work} under the lock; what it adds to its list (disconnects, wills, answering a
     * connection) runs after the lock is released.
     */
    private void underLock(Consumer<List<Runnable>> work) {
        List<Runnable> after = new ArrayList<>();
        synchronized (this) {
            work.accept(after);
        }
        after.forEach(Runnable::run);
    }

    private void openLocked(MqttSession existing, PendingOpen request, List<Runnable> after) {
        MqttSession session = existing;
        boolean present = false;
        if (existing != null) {
            cancelTimers(existing);
            if (request.cleanStart() || !existing.owner().equals(request.identity())) {
                // [MQTT-3.1.2-4]: Clean Start discards the session; another identity never inherits one.
                endLocked(existing, existing.pendingWill, after);
                session = null;
            } else {
                // [MQTT-3.1.2-5]: resumed; [MQTT-3.1.3-9]: a will still waiting is not sent.
                present = true;
                existing.pendingWill = null;
            }
        }
        if (session == null) {
            session = new MqttSession(request.clientId(), request.identity(), server.config().maxQueuedMessages(),
                    server.metrics(), server.disconnector());
            sessions.put(request.clientId(), session);
        }
        session.expirySeconds = request.expirySeconds();
        session.expiresAtMillis = 0;
        MqttConnection connection = request.factory().create(session);
        session.attach(connection);
        boolean sessionPresent = present;
        after.add(() -> connection.channel().eventLoop().execute(
                () -> request.accepted().accepted(connection, sessionPresent)));
    }

    /** The connection closed: its session ends, or waits offline (and a takeover waiting for it goes on). */
    void detach(MqttConnection connection) {
        underLock(after -> {
            detachLocked(connection, after);
        });
    }

    private void detachLocked(MqttConnection connection, List<Runnable> after) {
        MqttSession session = connection.session();
        if (session.connection() != connection) {
            return;
        }
        session.detach();
        Will will = connection.willToPublish();
        PendingOpen takeover = session.takeover;
        session.takeover = null;
        if (session.expirySeconds == 0) {
            endLocked(session, will, after);
            if (takeover != null) {
                openLocked(null, takeover, after);
            }
            return;
        }
        long now = System.currentTimeMillis();
        if (will != null) {
            // [MQTT-3.1.2-8]: after the Will Delay Interval, or when the session ends, whichever is first.
            long delay = Math.min(will.delaySeconds(), session.expirySeconds);
            if (delay == 0) {
                after.add(() -> WillPublisher.publish(server, session, will, timers));
            } else {
                session.pendingWill = will;
                session.pendingWillDueMillis = now + delay * 1000;
                session.willTask = timers.schedule(() -> willDue(session), delay, TimeUnit.SECONDS);
            }
        }
        scheduleExpiry(session, now + session.expirySeconds * 1000);
        if (takeover != null) {
            openLocked(session, takeover, after);
        } else {
            events.info("session offline client={} expiry={}s queued={}", session.clientId(), session.expirySeconds,
                    session.queuedMessages());
        }
    }

    private void scheduleExpiry(MqttSession session, long expiresAtMillis) {
        if (session.expirySeconds >= MqttConfig.SESSION_NEVER_EXPIRES) {
            session.expiresAtMillis = Long.MAX_VALUE;
            return;
        }
        session.expiresAtMillis = expiresAtMillis;
        long delayMillis = Math.max(0, expiresAtMillis - System.currentTimeMillis());
        session.expiryTask = timers.schedule(() -> expire(session), delayMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * A connection that was waiting for its session closed first: it gives up its place, or, if the
     * session was already attached to it, detaches.
     */
    void abandon(Channel channel, String clientId) {
        underLock(after -> {
            MqttSession session = sessions.get(clientId);
            if (session == null) {
                return;
            }
            if (session.takeover != null && session.takeover.channel() == channel) {
                session.takeover = null;
            } else if (session.connection() != null && session.connection().channel() == channel) {
                detachLocked(session.connection(), after);
            }
        });
    }

    /** MQTT 5 DISCONNECT with a Session Expiry Interval: the session now expires after that. */
    synchronized void updateExpiry(MqttSession session, long expirySeconds) {
        session.expirySeconds = expirySeconds;
    }

    private void expire(MqttSession session) {
        underLock(after -> {
            if (session.ended || session.connection() != null || sessions.get(session.clientId()) != session) {
                return;
            }
            events.info("session expired client={} queued={}", session.clientId(), session.queuedMessages());
            // [MQTT-4.1.0-2]: the state goes once the interval passed; a will still waiting goes out now.
            endLocked(session, session.pendingWill, after);
        });
    }

    private void willDue(MqttSession session) {
        Will will;
        synchronized (this) {
            if (session.ended || session.connection() != null || session.pendingWill == null) {
                return;
            }
            will = session.pendingWill;
            session.pendingWill = null;
        }
        WillPublisher.publish(server, session, will, timers);
    }

    private void endLocked(MqttSession session, Will will, List<Runnable> after) {
        session.ended = true;
        cancelTimers(session);
        session.pendingWill = null;
        sessions.remove(session.clientId(), session);
        server.subscriptions().unsubscribeAll(session);
        server.shared().unsubscribeAll(session);
        int dropped = session.discardAll();
        after.add(() -> {
            if (dropped > 0) {
                server.metrics().dropped("session_ended", dropped);
            }
            if (will != null) {
                WillPublisher.publish(server, session, will, timers);
            }
        });
    }

    private static void cancelTimers(MqttSession session) {
        if (session.expiryTask != null) {
            session.expiryTask.cancel(false);
            session.expiryTask = null;
        }
        if (session.willTask != null) {
            session.willTask.cancel(false);
            session.willTask = null;
        }
    }

    // ---- views ----

    /** The connections attached now. */
    synchronized List<MqttConnection> connections() {
        List<MqttConnection> connections = new ArrayList<>();
        for (MqttSession session : sessions.values()) {
            MqttConnection connection = session.connection();
            if (connection != null) {
                connections.add(connection);
            }
        }
        return connections;
    }

    /** Sessions, connected or offline. */
    public synchronized int size() {
        return sessions.size();
    }

    /** Sessions waiting offline for their client. */
    public synchronized int offline() {
        int offline = 0;
        for (MqttSession session : sessions.values()) {
            if (session.connection() == null) {
                offline++;
            }
        }
        return offline;
    }

    /** Messages all sessions hold for their clients (offline, or behind a full window). */
    public synchronized long queuedMessages() {
        long queued = 0;
        for (MqttSession session : sessions.values()) {
            queued += session.queuedMessages();
        }
        return queued;
    }

    // ---- snapshot ----

    /** The offline sessions as they are now; call once no connection is left (at shutdown). */
    synchronized List<Saved> save() {
        List<Saved> saved = new ArrayList<>();
        for (MqttSession session : sessions.values()) {
            if (session.connection() != null || session.ended || session.expirySeconds == 0) {
                continue;
            }
            saved.add(new Saved(session.clientId(), session.owner(), session.expirySeconds, session.expiresAtMillis,
                    server.subscriptions().subscriptionsOf(session), server.shared().subscriptionsOf(session),
                    session.state(), session.pendingWill, session.pendingWillDueMillis));
        }
        return saved;
    }

    /** Puts a saved session back, offline, with its subscriptions and messages; an expired one is dropped. */
    void restore(Saved saved) {
        underLock(after -> {
            long now = System.currentTimeMillis();
            if (sessions.containsKey(saved.clientId())) {
                return;
            }
            MqttSession session = new MqttSession(saved.clientId(), saved.owner(), server.config().maxQueuedMessages(),
                    server.metrics(), server.disconnector());
            session.expirySeconds = Math.min(saved.expirySeconds(), server.config().maxSessionExpirySeconds());
            saved.subscriptions().forEach((filter, options) -> server.subscriptions().subscribe(filter, session, options));
            saved.shared().forEach((subscription, options) -> server.shared().subscribe(subscription, session, options));
            session.restore(saved.state());
            sessions.put(saved.clientId(), session);
            if (saved.expiresAtMillis() <= now || session.expirySeconds == 0) {
                endLocked(session, saved.pendingWill(), after);
            } else {
                if (saved.pendingWill() != null) {
                    session.pendingWill = saved.pendingWill();
                    session.pendingWillDueMillis = saved.pendingWillDueMillis();
                    session.willTask = timers.schedule(() -> willDue(session),
                            Math.max(0, saved.pendingWillDueMillis() - now), TimeUnit.MILLISECONDS);
                }
                scheduleExpiry(session, Math.min(saved.expiresAtMillis(), now + session.expirySeconds * 1000));
            }
        });
    }
}
