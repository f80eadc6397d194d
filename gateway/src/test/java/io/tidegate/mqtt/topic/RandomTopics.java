package io.tidegate.mqtt.topic;

import java.util.Random;

/** Random valid topics and filters over a tiny alphabet, so that collisions and matches are frequent. */
final class RandomTopics {

    private static final String[] TOPIC_LEVELS = {"a", "b", "", "$x"};
    private static final String[] FILTER_LEVELS = {"a", "b", "", "$x", "+", "+"};

    private RandomTopics() {
    }

    static String topic(Random random) {
        int levels = 1 + random.nextInt(4);
        StringBuilder topic = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            if (i > 0) {
                topic.append('/');
            }
            topic.append(TOPIC_LEVELS[random.nextInt(TOPIC_LEVELS.length)]);
        }
        return topic.isEmpty() ? "/" : topic.toString();
    }

    static String filter(Random random) {
        int levels = 1 + random.nextInt(4);
        StringBuilder filter = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            if (i > 0) {
                filter.append('/');
            }
            if (i == levels - 1 && random.nextInt(3) == 0) {
                filter.append('#');
            } else {
                filter.append(FILTER_LEVELS[random.nextInt(FILTER_LEVELS.length)]);
            }
        }
        return filter.isEmpty() ? "/" : filter.toString();
    }

    /** Matching written as directly from the spec as possible, to check the optimised versions against. */
    static boolean referenceMatches(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        if (topic.startsWith("$") && (f[0].equals("#") || f[0].equals("+"))) {
            return false;
        }
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true; // matches what is left, including nothing ("a/#" matches "a")
            }
            if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
