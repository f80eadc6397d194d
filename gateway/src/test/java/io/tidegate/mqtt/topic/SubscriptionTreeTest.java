package io.tidegate.mqtt.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SubscriptionTreeTest {

    private final SubscriptionTree<String> tree = new SubscriptionTree<>();

    /** What {@link SubscriptionTree#match} delivered, failing on a second call for one subscriber. */
    static <S> Map<S, Integer> deliveries(SubscriptionTree<S> tree, String topic) {
        Map<S, Integer> delivered = new HashMap<>();
        tree.match(topic, (subscriber, qos) -> {
            if (delivered.put(subscriber, qos) != null) {
                fail("%s delivered twice for %s", subscriber, topic);
            }
        });
        return delivered;
    }

    @Test
    @DisplayName("[MQTT 3.1.1 §3.3.5] overlapping subscriptions deliver once per subscriber, with the highest QoS")
    void overlapping() {
        tree.subscribe("a/+", "s1", 0);
        tree.subscribe("a/#", "s1", 2);
        tree.subscribe("a/b", "s1", 1);
        tree.subscribe("#", "s1", 1);
        tree.subscribe("a/b", "s2", 1);
        tree.subscribe("+/b", "s2", 0);

        assertThat(deliveries(tree, "a/b")).containsOnly(Map.entry("s1", 2), Map.entry("s2", 1));
        assertThat(deliveries(tree, "a")).containsOnly(Map.entry("s1", 2));
        assertThat(deliveries(tree, "x/b")).containsOnly(Map.entry("s1", 1), Map.entry("s2", 0));
        assertThat(tree.size()).isEqualTo(6);
    }

    @Test
    @DisplayName("[MQTT-3.8.4-3] subscribing again to the same filter replaces the QoS and reports it existed")
    void resubscribeReplaces() {
        assertThat(tree.subscribe("a/b", "s1", 2)).isFalse();
        assertThat(tree.subscribe("a/b", "s1", 0)).isTrue();

        assertThat(deliveries(tree, "a/b")).containsOnly(Map.entry("s1", 0));
        assertThat(tree.size()).isEqualTo(1);
    }

    @Test
    @DisplayName("subscribers are compared with equals")
    void subscribersByEquals() {
        record Session(String clientId) {
        }
        SubscriptionTree<Session> sessions = new SubscriptionTree<>();
        sessions.subscribe("a", new Session("c1"), 1);

        assertThat(sessions.subscribe("a", new Session("c1"), 2)).isTrue();
        assertThat(sessions.unsubscribe("a", new Session("c1"))).isTrue();
        assertThat(sessions.size()).isZero();
    }

    @ParameterizedTest(name = "{0} ~ {1} → {2}")
    @CsvSource(delimiter = '|', textBlock = """
            sport/tennis/player1/#  | sport/tennis/player1                  | true
            sport/tennis/player1/#  | sport/tennis/player1/ranking          | true
            sport/tennis/player1/#  | sport/tennis/player1/score/wimbledon  | true
            sport/+                 | sport                                 | false
            sport/+                 | sport/                                | true
            +/+                     | /finance                              | true
            /+                      | /finance                              | true
            +                       | /finance                              | false
            '#'                     | $SYS/x                                | false
            +/x                     | $SYS/x                                | false
            +/#                     | $SYS/x                                | false
            $SYS/#                  | $SYS/x                                | true
            $SYS/#                  | $SYS                                  | true
            a/+/b                   | a//b                                  | true
            a/b                     | a/b/                                  | false
            """)
    @DisplayName("[MQTT 3.1.1 §4.7.1][MQTT-4.7.2-1] the tree applies the wildcard and $-topic rules")
    void matchingRules(String filter, String topic, boolean expected) {
        tree.subscribe(filter, "s1", 1);

        assertThat(deliveries(tree, topic).containsKey("s1")).isEqualTo(expected);
    }

    @Test
    @DisplayName("matches what Topics.matches says, with the highest QoS, on random subscriptions")
    void agreesWithTopicsMatches() {
        Random random = new Random(3);
        Map<String, Map<String, Integer>> model = new HashMap<>(); // subscriber → filter → QoS
        for (int n = 0; n < 400; n++) {
            String subscriber = "s" + random.nextInt(20);
            String filter = RandomTopics.filter(random);
            int qos = random.nextInt(3);
            tree.subscribe(filter, subscriber, qos);
            model.computeIfAbsent(subscriber, s -> new HashMap<>()).put(filter, qos);
        }
        for (int n = 0; n < 2_000; n++) {
            String topic = RandomTopics.topic(random);
            assertThat(deliveries(tree, topic)).as(topic).isEqualTo(expectedDeliveries(model, topic));
        }
    }

    @Test
    @DisplayName("unsubscribe removes one subscription and reports whether it existed")
    void unsubscribe() {
        tree.subscribe("a/#", "s1", 1);
        tree.subscribe("a/b", "s1", 2);
        tree.subscribe("a/b", "s2", 0);

        assertThat(tree.unsubscribe("a/b", "s1")).isTrue();
        assertThat(tree.unsubscribe("a/b", "s1")).isFalse();
        assertThat(tree.unsubscribe("a/c", "s1")).isFalse();
        assertThat(tree.unsubscribe("a/b", "s3")).isFalse();

        assertThat(deliveries(tree, "a/b")).containsOnly(Map.entry("s1", 1), Map.entry("s2", 0));
        assertThat(tree.size()).isEqualTo(2);
    }

    @Test
    @DisplayName("unsubscribeAll removes every subscription of one subscriber only")
    void unsubscribeAll() {
        tree.subscribe("a/#", "s1", 1);
        tree.subscribe("a/b", "s1", 2);
        tree.subscribe("+/b", "s1", 2);
        tree.subscribe("a/b", "s2", 0);

        tree.unsubscribeAll("s1");
        tree.unsubscribeAll("unknown");

        assertThat(deliveries(tree, "a/b")).containsOnly(Map.entry("s2", 0));
        assertThat(tree.size()).isEqualTo(1);
        assertThat(tree.unsubscribe("a/#", "s1")).isFalse();
        assertThat(tree.subscribe("a/#", "s1", 0)).isFalse(); // gone from the reverse index too
    }

    @Test
    @DisplayName("unsubscribing prunes nodes left empty, and only those")
    void prunes() {
        List<String> filters = List.of("a/b/c", "a/b", "a/+/c/#", "#", "+", "/", "//", "a//b", "$SYS/#", "a/b/c/d/e");
        for (String filter : filters) {
            tree.subscribe(filter, "s1", 1);
            tree.subscribe(filter, "s2", 1);
        }
        for (String filter : filters) {
            tree.unsubscribe(filter, "s1");
        }
        tree.subscribe("a/b/c/d/x", "s3", 0);
        tree.unsubscribe("a/b/c/d/e", "s2");

        // a, a/b, a/b/c, a/b/c/d, a/b/c/d/x, a/+, a/+/c, a/+/c/#, #, +, "", "/", "//", a/"", a/""/b, $SYS, $SYS/#
        assertThat(tree.nodeCount()).isEqualTo(17);
        tree.unsubscribeAll("s2");
        tree.unsubscribeAll("s3");

        assertThat(tree.size()).isZero();
        assertThat(tree.nodeCount()).isZero();
        assertThat(deliveries(tree, "a/b/c")).isEmpty();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "a/#/b", "a+", "$share/g/a", "$share/g"})
    @DisplayName("invalid and shared filters are refused")
    void refusesInvalidFilters(String filter) {
        assertThatThrownBy(() -> tree.subscribe(filter, "s1", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(tree.size()).isZero();
        assertThat(tree.nodeCount()).isZero();
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {-1, 3})
    @DisplayName("QoS outside 0..2 is refused")
    void refusesBadQos(int qos) {
        assertThatThrownBy(() -> tree.subscribe("a", "s1", qos)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("a topic far deeper than any filter is matched without recursion trouble")
    void deepTopic() {
        String deepFilter = "+/".repeat(20_000) + "#";
        tree.subscribe(deepFilter, "s1", 1);
        String deepTopic = "x/".repeat(30_000) + "x";

        assertThat(deliveries(tree, deepTopic)).containsOnly(Map.entry("s1", 1));
        tree.unsubscribe(deepFilter, "s1");
        assertThat(tree.nodeCount()).isZero();
    }

    static Map<String, Integer> expectedDeliveries(Map<String, Map<String, Integer>> model, String topic) {
        Map<String, Integer> expected = new HashMap<>();
        model.forEach((subscriber, filters) -> filters.forEach((filter, qos) -> {
            if (Topics.matches(filter, topic)) {
                expected.merge(subscriber, qos, Math::max);
            }
        }));
        return expected;
    }
}
