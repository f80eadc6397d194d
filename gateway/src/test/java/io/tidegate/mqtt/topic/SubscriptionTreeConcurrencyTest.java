package io.tidegate.mqtt.topic;

import static io.tidegate.mqtt.topic.SubscriptionTreeTest.deliveries;
import static io.tidegate.mqtt.topic.SubscriptionTreeTest.expectedDeliveries;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SubscriptionTreeConcurrencyTest {

    private static final int WRITERS = 3;
    private static final int READERS = 3;
    private static final int WRITES_PER_WRITER = 4_000;
    private static final int MATCHES_PER_READER = 8_000;
    private static final String PINNED = "pinned";
    private static final String PINNED_FILTER = "a/+";

    private final SubscriptionTree<String> tree = new SubscriptionTree<>();
    private final List<String> filters = new ArrayList<>();
    private final List<String> topics = new ArrayList<>();

    @Test
    @DisplayName("concurrent subscribe/unsubscribe while matching: no errors, single delivery, correct final state")
    void concurrentWritersAndReaders() throws Exception {
        Random random = new Random(11);
        for (int i = 0; i < 40; i++) {
            filters.add(RandomTopics.filter(random));
        }
        for (int i = 0; i < 100; i++) {
            topics.add(RandomTopics.topic(random));
        }
        // Never touched by the writers, though they add and prune nodes around it: readers must always see it.
        tree.subscribe(PINNED_FILTER, PINNED, 2);

        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(WRITERS + READERS);
        try {
            List<Future<Map<String, Map<String, Integer>>>> writers = new ArrayList<>();
            List<Future<Void>> readers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                writers.add(executor.submit(writer(w, start)));
            }
            for (int r = 0; r < READERS; r++) {
                readers.add(executor.submit(reader(r, start)));
            }
            start.countDown();

            Map<String, Map<String, Integer>> model = new HashMap<>();
            for (Future<Map<String, Map<String, Integer>>> writer : writers) {
                model.putAll(writer.get(2, TimeUnit.MINUTES)); // the bound only guards against a hang
            }
            for (Future<Void> reader : readers) {
                reader.get(2, TimeUnit.MINUTES);
            }
            model.put(PINNED, Map.of(PINNED_FILTER, 2));

            assertThat(tree.size()).isEqualTo(model.values().stream().mapToInt(Map::size).sum());
            for (String topic : topics) {
                assertThat(deliveries(tree, topic)).as(topic).isEqualTo(expectedDeliveries(model, topic));
            }
            model.keySet().forEach(tree::unsubscribeAll);
            assertThat(tree.size()).isZero();
            assertThat(tree.nodeCount()).isZero();
        } finally {
            executor.shutdownNow();
        }
    }

    /**
     * Each writer owns its subscribers, so its model of them stays exact and the return values of
     * subscribe and unsubscribe are predictable even while other writers run.
     */
    private Callable<Map<String, Map<String, Integer>>> writer(int id, CountDownLatch start) {
        return () -> {
            Random random = new Random(100 + id);
            Map<String, Map<String, Integer>> model = new HashMap<>();
            start.await();
            for (int n = 0; n < WRITES_PER_WRITER; n++) {
                String subscriber = "w" + id + "-s" + random.nextInt(5);
                String filter = filters.get(random.nextInt(filters.size()));
                Map<String, Integer> own = model.computeIfAbsent(subscriber, s -> new HashMap<>());
                int op = random.nextInt(100);
                if (op < 55) {
                    int qos = random.nextInt(3);
                    assertThat(tree.subscribe(filter, subscriber, qos)).isEqualTo(own.put(filter, qos) != null);
                } else if (op < 97) {
                    assertThat(tree.unsubscribe(filter, subscriber)).isEqualTo(own.remove(filter) != null);
                } else {
                    tree.unsubscribeAll(subscriber);
                    own.clear();
                }
            }
            return model;
        };
    }

    private Callable<Void> reader(int id, CountDownLatch start) {
        return () -> {
            Random random = new Random(200 + id);
            start.await();
            for (int n = 0; n < MATCHES_PER_READER; n++) {
                String topic = topics.get(random.nextInt(topics.size()));
                Map<String, Integer> delivered = deliveries(tree, topic); // fails on a double delivery
                assertThat(delivered.values()).allMatch(qos -> qos >= 0 && qos <= 2);
                if (Topics.matches(PINNED_FILTER, topic)) {
                    assertThat(delivered).containsEntry(PINNED, 2);
                } else {
                    assertThat(delivered).doesNotContainKey(PINNED);
                }
            }
            return null;
        };
    }
}
