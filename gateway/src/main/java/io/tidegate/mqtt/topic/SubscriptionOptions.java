package io.tidegate.mqtt.topic;

/**
 * What one subscription asked for (MQTT 5 section 3.8.3.1; in MQTT 3.1.1 only the QoS).
 *
 * @param qos               the maximum QoS granted, 0 to 2
 * @param noLocal           not to receive the subscriber's own messages [MQTT-3.8.3-3]
 * @param retainAsPublished to receive the RETAIN flag as published, not cleared [MQTT-3.3.1-12, -13]
 */
public record SubscriptionOptions(int qos, boolean noLocal, boolean retainAsPublished) {

    public SubscriptionOptions {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2: " + qos);
        }
    }

    /** A plain subscription: {@code qos}, own messages received, RETAIN cleared. */
    public static SubscriptionOptions qos(int qos) {
        return new SubscriptionOptions(qos, false, false);
    }

    /**
     * One delivery for overlapping subscriptions of one subscriber [MQTT-3.3.4-2]: the highest QoS;
     * the own message withheld only if every matching subscription says no local; RETAIN kept if
     * any says so.
     */
    public SubscriptionOptions merge(SubscriptionOptions other) {
        return new SubscriptionOptions(Math.max(qos, other.qos), noLocal && other.noLocal,
                retainAsPublished || other.retainAsPublished);
    }
}
