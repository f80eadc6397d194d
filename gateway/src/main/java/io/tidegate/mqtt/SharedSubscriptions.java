package io.tidegate.mqtt;

import io.tidegate.mqtt.topic.SharedSubscription;
import io.tidegate.mqtt.topic.SubscriptionOptions;
import io.tidegate.mqtt.topic.SubscriptionTree;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * MQTT 5 shared subscriptions ({@code $share/<group>/<filter>}, section 4.8.2): each message
 * matching a group's filter goes to one member of the group, taken in turn, preferring a member
 * whose connection can take it now. A group is one subscriber of a {@link SubscriptionTree} of its
 * own, so matching costs what plain subscriptions cost. Writers serialise on this object; the ack
 * stage matches without a lock.
 */
public final class SharedSubscriptions {

    /** One group on one filter and its members, in subscription order. */
    static final class Group {
        final SharedSubscription key;
        final List<Member> members = new CopyOnWriteArrayList<>();
        /** Ack stage thread only: where the next turn starts. */
        int next;

        Group(SharedSubscription key) {
            this.key = key;
        }

        /**
     * The member whose turn it is, skipping those offline or whose socket cannot take more; when
     * none can take it now, the one whose turn it is (an offline member's session queues it); null
     * when empty.
     */
        Member pick() {
            int size = members.size();
            if (size == 0) {
                return null;
            }
            Member fallback = null;
            for (int i = 0; i < size; i++) {
                Member candidate;
                try {
                    candidate = members.get((next + i) % size);
                } catch (IndexOutOfBoundsException removedMeanwhile) {
                    return fallback;
                }
                if (fallback == null) {
                    fallback = candidate;
                }
                if (candidate.session().isDeliverable()) {
                    next = (next + i + 1) % size;
                    return candidate;
                }
            }
            next = (next + 1) % size;
            return fallback;
        }
    }

    record Member(MqttSession session, SubscriptionOptions options) {
    }

    private final SubscriptionTree<Group> tree = new SubscriptionTree<>();
    private final Map<SharedSubscription, Group> groups = new HashMap<>();
    private final Map<MqttSession, Set<SharedSubscription>> bySession = new HashMap<>();

    /** Adds (or updates) {@code session} in the group; returns whether it was already a member. */
    public synchronized boolean subscribe(SharedSubscription subscription, MqttSession session,
                                          SubscriptionOptions options) {
        Group group = groups.get(subscription);
        if (group == null) {
            group = new Group(subscription);
            groups.put(subscription, group);
            tree.subscribe(subscription.filter(), group, 2);
        }
        boolean existed = group.members.removeIf(member -> member.session() == session);
        group.members.add(new Member(session, options));
        bySession.computeIfAbsent(session, s -> new HashSet<>()).add(subscription);
        return existed;
    }

    public synchronized boolean unsubscribe(SharedSubscription subscription, MqttSession session) {
        Set<SharedSubscription> mine = bySession.get(session);
        if (mine == null || !mine.remove(subscription)) {
            return false;
        }
        if (mine.isEmpty()) {
            bySession.remove(session);
        }
        leave(subscription, session);
        return true;
    }

    /** Removes the session from every group, e.g. when its connection ends. */
    public synchronized void unsubscribeAll(MqttSession session) {
        Set<SharedSubscription> mine = bySession.remove(session);
        if (mine != null) {
            mine.forEach(subscription -> leave(subscription, session));
        }
    }

    private void leave(SharedSubscription subscription, MqttSession session) {
        Group group = groups.get(subscription);
        group.members.removeIf(member -> member.session() == session);
        if (group.members.isEmpty()) {
            groups.remove(subscription);
            tree.unsubscribe(subscription.filter(), group);
        }
    }

    /** For each group whose filter matches {@code topic}: the member whose turn it is. Ack stage thread. */
    void match(String topic, BiConsumer<MqttSession, SubscriptionOptions> sink) {
        if (tree.size() == 0) {
            return;
        }
        tree.match(topic, (group, ignored) -> {
            Member member = group.pick();
            if (member != null) {
                sink.accept(member.session(), member.options());
            }
        });
    }

    /** A session's shared subscriptions and their options, e.g. to save the session. */
    public synchronized Map<SharedSubscription, SubscriptionOptions> subscriptionsOf(MqttSession session) {
        Map<SharedSubscription, SubscriptionOptions> result = new HashMap<>();
        for (SharedSubscription subscription : bySession.getOrDefault(session, Set.of())) {
            for (Member member : groups.get(subscription).members) {
                if (member.session() == session) {
                    result.put(subscription, member.options());
                }
            }
        }
        return result;
    }

    /** Groups with at least one member. */
    public synchronized int size() {
        return groups.size();
    }
}
