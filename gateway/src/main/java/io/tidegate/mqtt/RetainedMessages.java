package io.tidegate.mqtt;

import io.tidegate.mqtt.topic.Topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The retained message of each topic [MQTT-3.3.1-5]: set or replaced by a stored PUBLISH with
 * RETAIN 1, removed by one with an empty payload [MQTT-3.3.1-10, -11], delivered to new
 * subscriptions with RETAIN 1 [MQTT-3.3.1-8]. Written by the ack stage (so in ring order, after
 * the message is stored), read by event loops at SUBSCRIBE. Bounded: past {@link #capacity()}
 * topics a new one is not retained (counted); replacing and clearing always work.
 *
 * <p>Kept in memory and saved by {@link RetainedSnapshot} on shutdown and every few seconds when
 * changed, so a restart keeps them (a crash loses at most the last few seconds of changes).
 */
public final class RetainedMessages {

    /** One retained message and the QoS it was published with. */
    record Retained(OutboundPublish publish, int qos) {
    }

    private final Map<String, Retained> byTopic = new ConcurrentHashMap<>();
    private final int capacity;
    private final AtomicLong refused = new AtomicLong();
    /** Bumped on every change, so a snapshot is written only when something changed. */
    private final AtomicLong changes = new AtomicLong();

    public RetainedMessages() {
        this(100_000);
    }

    public RetainedMessages(int capacity) {
        this.capacity = capacity;
    }

    /** Applies a stored RETAIN 1 message; false when it was a new topic beyond the capacity. */
    boolean update(OutboundPublish publish, int qos) {
        if (publish.payload().length == 0) {
            if (byTopic.remove(publish.topic()) != null) {
                changes.incrementAndGet();
            }
            return true;
        }
        if (byTopic.size() >= capacity && !byTopic.containsKey(publish.topic())) {
            refused.incrementAndGet();
            return false;
        }
        byTopic.put(publish.topic(), new Retained(publish, qos));
        changes.incrementAndGet();
        return true;
    }

    /** Every retained message, in no particular order (a weakly consistent view). */
    Iterable<Retained> all() {
        return byTopic.values();
    }

    long changes() {
        return changes.get();
    }

    /** The retained messages whose topics {@code filter} matches ('$' topics only by a filter naming them). */
    List<Retained> matching(String filter) {
        List<Retained> matched = new ArrayList<>();
        long now = System.currentTimeMillis();
        if (!filter.contains("+") && !filter.contains("#")) {
            Retained one = byTopic.get(filter);
            if (one != null && !expire(one, now)) {
                matched.add(one);
            }
            return matched;
        }
        byTopic.forEach((topic, retained) -> {
            if (Topics.matches(filter, topic) && !expire(retained, now)) {
                matched.add(retained);
            }
        });
        return matched;
    }

    /** A retained message whose Message Expiry Interval passed is no longer retained [MQTT-3.3.2-5]. */
    private boolean expire(Retained retained, long nowMillis) {
        if (!retained.publish().expired(nowMillis)) {
            return false;
        }
        if (byTopic.remove(retained.publish().topic(), retained)) {
            changes.incrementAndGet();
        }
        return true;
    }

    public int size() {
        return byTopic.size();
    }

    public int capacity() {
        return capacity;
    }

    /** RETAIN 1 messages of new topics not retained because the store was full (still delivered). */
    public long refused() {
        return refused.get();
    }
}
