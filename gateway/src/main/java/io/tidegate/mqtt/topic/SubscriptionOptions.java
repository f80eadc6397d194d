package io.tidegate.mqtt.topic;

/**
 * What one subscription asked for (MQTT 5 section 3.8.3.1; in MQTT 3.1.1 only the QoS).
 *
 * @param qos               the maximum QoS granted, 0 to 2
 * @param noLocal           not to receive the subscriber's own messages [MQTT-3.8.3-3]
 * @param retainAsPublished to receive the RETAIN flag as published, not cleared [MQTT-3.3.1-12, -13]
 * @param subscriptionId    the MQTT 5 Subscription Identifier (1 to 268,435,455), 0 for none (3.8.2.1.2)
 */
public record SubscriptionOptions(int qos, boolean noLocal, boolean retainAsPublished, int subscriptionId) {

    /** The largest Subscription Identifier: a Variable Byte Integer's maximum (3.8.2.1.2). */
    public static final int MAX_SUBSCRIPTION_ID = 268_435_455;

    public SubscriptionOptions {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2: " + qos);
        }
        if (subscriptionId < 0 || subscriptionId > MAX_SUBSCRIPTION_ID) {
            throw new IllegalArgumentException("subscription identifier out of range: " + subscriptionId);
        }
    }

    public SubscriptionOptions(int qos, boolean noLocal, boolean retainAsPublished) {
        this(qos, noLocal, retainAsPublished, 0);
    }

    /** A plain subscription: {@code qos}, own messages received, RETAIN cleared. */
    public static SubscriptionOptions qos(int qos) {
        return new SubscriptionOptions(qos, false, false, 0);
    }

    /**
     * One delivery for overlapping subscriptions of one subscriber [MQTT-3.3.4-2]: the highest QoS;
     * the own message withheld only if every matching subscription says no local; RETAIN kept if
     * any says so. (Subscription identifiers are collected by the caller: a merge has several.)
     */
    public SubscriptionOptions merge(SubscriptionOptions other) {
        return new SubscriptionOptions(Math.max(qos, other.qos), noLocal && other.noLocal,
                retainAsPublished || other.retainAsPublished, 0);
    }
}
