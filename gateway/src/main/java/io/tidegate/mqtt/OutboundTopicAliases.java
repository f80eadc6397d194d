package io.tidegate.mqtt;

import java.util.HashMap;
import java.util.Map;

/**
 * The topic aliases the server sets up towards one MQTT 5 client (3.3.2.3.4), within the Topic
 * Alias Maximum the client announced in CONNECT [MQTT-3.3.2-9]: the first PUBLISH on a topic
 * carries the topic and a new alias, later ones only the alias. When every alias is taken, the
 * oldest assignment is replaced (round robin), which a PUBLISH carrying topic and alias does by
 * definition. Per connection: aliases never outlive it [MQTT-3.3.2-7]. Event loop only.
 */
final class OutboundTopicAliases {

    private final int maximum;
    private final Map<String, Integer> byTopic = new HashMap<>();
    private final String[] byAlias;
    /** The alias assigned next, 1..maximum. */
    private int next = 1;

    OutboundTopicAliases(int maximum) {
        if (maximum < 1 || maximum > 65_535) {
            throw new IllegalArgumentException("topic alias maximum must be 1..65535: " + maximum);
        }
        this.maximum = maximum;
        this.byAlias = new String[maximum + 1];
    }

    /**
     * The alias to send {@code topic} with: positive when the client knows it already (send an empty
     * topic), negative when it is assigned now (send the topic and the alias, {@code -result}).
     */
    int aliasFor(String topic) {
        Integer known = byTopic.get(topic);
        if (known != null) {
            return known;
        }
        int alias = next;
        next = next == maximum ? 1 : next + 1;
        String previous = byAlias[alias];
        if (previous != null) {
            byTopic.remove(previous);
        }
        byAlias[alias] = topic;
        byTopic.put(topic, alias);
        return -alias;
    }

    int maximum() {
        return maximum;
    }
}
