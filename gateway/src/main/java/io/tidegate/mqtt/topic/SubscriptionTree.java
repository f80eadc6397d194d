package io.tidegate.mqtt.topic;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The broker's subscriptions: a trie of topic levels whose nodes hold the subscribers of the filter
 * spelled by the path to them. Only plain filters belong here; shared subscriptions are routed
 * elsewhere.
 *
 * <p>Thread safety: {@link #match} runs on many threads at once and takes no lock; it only reads
 * concurrent maps, so it may or may not see a subscription changed while it runs. Writers (the
 * rarer subscribe and unsubscribe) serialise on one lock, which is what lets them prune empty
 * nodes without racing each other: a node is only created or detached under that lock, and a
 * reader still walking a detached node merely sees it empty.
 *
 * @param <S> the subscriber, typically a session; compared with {@code equals}/{@code hashCode}
 */
public final class SubscriptionTree<S> {

    private static final String MULTI_LEVEL = "#";
    private static final String SINGLE_LEVEL = "+";

    private final Node<S> root = new Node<>(null, "");
    private final Object writeLock = new Object();
    /** Subscriber to its filters, for {@link #unsubscribeAll}. Guarded by {@code writeLock}. */
    private final Map<S, Set<String>> filtersBySubscriber = new HashMap<>();
    /** Written under {@code writeLock}, read without it. */
    private volatile int size;

    /**
     * Adds a subscription, or replaces the QoS of the subscriber's existing one on the same filter.
     *
     * @param filter a valid plain topic filter; callers validate client input with
     *               {@link Topics#validateTopicFilter} first, so a bad one here is a programming error
     * @param qos    the granted maximum QoS, 0 to 2
     * @return whether the subscriber already had this filter (MQTT 5 Retain Handling 1 needs this)
     * @throws IllegalArgumentException if the filter is invalid or shared, or the QoS out of range
     */
    public boolean subscribe(String filter, S subscriber, int qos) {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2: " + qos);
        }
        return subscribe(filter, subscriber, SubscriptionOptions.qos(qos));
    }

    /** {@link #subscribe(String, Object, int)} with every MQTT 5 subscription option. */
    public boolean subscribe(String filter, S subscriber, SubscriptionOptions options) {
        Objects.requireNonNull(subscriber, "subscriber");
        TopicProblem problem = Topics.validateTopicFilter(filter);
        if (problem != null || Topics.isShared(filter)) {
            throw new IllegalArgumentException("not a plain topic filter: " + (problem != null ? problem : "shared"));
        }
        String[] levels = Topics.levels(filter);
        synchronized (writeLock) {
            Node<S> node = root;
            for (String level : levels) {
                Node<S> child = node.children.get(level);
                if (child == null) {
                    child = new Node<>(node, level);
                    node.children.put(level, child);
                }
                node = child;
            }
            boolean existed = node.subscribers.put(subscriber, options) != null;
            if (!existed) {
                filtersBySubscriber.computeIfAbsent(subscriber, s -> new HashSet<>()).add(filter);
                size++;
            }
            return existed;
        }
    }

    /** Removes one subscription; returns whether it existed. */
    public boolean unsubscribe(String filter, S subscriber) {
        synchronized (writeLock) {
            Set<String> filters = filtersBySubscriber.get(subscriber);
            if (filters == null || !filters.remove(filter)) {
                return false;
            }
            if (filters.isEmpty()) {
                filtersBySubscriber.remove(subscriber);
            }
            remove(filter, subscriber);
            return true;
        }
    }

    /** Removes every subscription of a subscriber, e.g. when its session ends. */
    public void unsubscribeAll(S subscriber) {
        synchronized (writeLock) {
            Set<String> filters = filtersBySubscriber.remove(subscriber);
            if (filters != null) {
                for (String filter : filters) {
                    remove(filter, subscriber);
                }
            }
        }
    }

    /**
     * Calls {@code sink} once per subscriber with a filter matching {@code topic}, passing the
     * highest QoS among that subscriber's matching filters (overlapping subscriptions, MQTT 3.1.1
     * section 3.3.5). {@code topic} must be a valid topic name.
     */
    public void match(String topic, BiConsumer<? super S, ? super Integer> sink) {
        matchOptions(topic, (subscriber, options) -> sink.accept(subscriber, options.qos()));
    }

    /**
     * Calls {@code sink} once per subscriber with a filter matching {@code topic}, with the options
     * of its matching subscriptions merged ({@link SubscriptionOptions#merge}).
     */
    public void matchOptions(String topic, BiConsumer<? super S, ? super SubscriptionOptions> sink) {
        List<Node<S>> matched = matchingNodes(topic);
        if (matched.size() == 1) {
            matched.get(0).subscribers.forEach(sink); // the common case: nothing to merge
        } else if (!matched.isEmpty()) {
            Map<S, SubscriptionOptions> merged = new HashMap<>();
            for (int i = 0; i < matched.size(); i++) {
                matched.get(i).subscribers.forEach((subscriber, options) ->
                        merged.merge(subscriber, options, SubscriptionOptions::merge));
            }
            merged.forEach(sink);
        }
    }

    /**
     * Calls {@code sink} once per subscription whose filter matches {@code topic}: a subscriber with
     * overlapping subscriptions is called once for each, with that subscription's own options.
     *
     * @return the number of filters that matched; with at most one, no subscriber was called twice
     */
    public int matchEach(String topic, BiConsumer<? super S, ? super SubscriptionOptions> sink) {
        List<Node<S>> matched = matchingNodes(topic);
        for (int i = 0; i < matched.size(); i++) {
            matched.get(i).subscribers.forEach(sink);
        }
        return matched.size();
    }

    /** A subscriber's filters and their options, e.g. to save its session. */
    public Map<String, SubscriptionOptions> subscriptionsOf(S subscriber) {
        Map<String, SubscriptionOptions> result = new HashMap<>();
        synchronized (writeLock) {
            for (String filter : filtersBySubscriber.getOrDefault(subscriber, Set.of())) {
                Node<S> node = root;
                for (String level : Topics.levels(filter)) {
                    node = node.children.get(level);
                }
                result.put(filter, node.subscribers.get(subscriber));
            }
        }
        return result;
    }

    /** The number of subscriptions, i.e. (subscriber, filter) pairs. */
    public int size() {
        return size;
    }

    /** Nodes below the root; 0 once everything is unsubscribed and pruned. For tests. */
    int nodeCount() {
        int count = 0;
        ArrayDeque<Node<S>> pending = new ArrayDeque<>(root.children.values());
        while (!pending.isEmpty()) {
            Node<S> node = pending.pop();
            count++;
            pending.addAll(node.children.values());
        }
        return count;
    }

    /**
     * Walks the trie breadth-first, one topic level at a time, keeping the nodes the topic has
     * reached so far. Iterative rather than recursive so a deep topic cannot exhaust the stack.
     */
    private List<Node<S>> matchingNodes(String topic) {
        String[] levels = Topics.levels(topic);
        // Wildcards at the first level do not match topics starting with '$' [MQTT-4.7.2-1].
        boolean dollarTopic = topic.startsWith("$");
        List<Node<S>> matched = new ArrayList<>(4);
        List<Node<S>> current = new ArrayList<>(4);
        List<Node<S>> next = new ArrayList<>(4);
        current.add(root);
        for (int depth = 0; depth < levels.length && !current.isEmpty(); depth++) {
            boolean wildcardsApply = depth > 0 || !dollarTopic;
            for (int i = 0; i < current.size(); i++) {
                Node<S> node = current.get(i);
                if (wildcardsApply) {
                    addIfSubscribed(node.children.get(MULTI_LEVEL), matched);
                    addIfPresent(node.children.get(SINGLE_LEVEL), next);
                }
                addIfPresent(node.children.get(levels[depth]), next);
            }
            List<Node<S>> reached = next;
            next = current;
            next.clear();
            current = reached;
        }
        // The topic is used up: nodes reached match, and so does a "#" below them ("a/#" matches "a").
        for (int i = 0; i < current.size(); i++) {
            Node<S> node = current.get(i);
            addIfSubscribed(node, matched);
            addIfSubscribed(node.children.get(MULTI_LEVEL), matched);
        }
        return matched;
    }

    private static <S> void addIfPresent(Node<S> node, List<Node<S>> nodes) {
        if (node != null) {
            nodes.add(node);
        }
    }

    private static <S> void addIfSubscribed(Node<S> node, List<Node<S>> nodes) {
        if (node != null && !node.subscribers.isEmpty()) {
            nodes.add(node);
        }
    }

    /** Removes a subscription known to exist, then prunes the nodes it leaves empty. Under {@code writeLock}. */
    private void remove(String filter, S subscriber) {
        Node<S> node = root;
        for (String level : Topics.levels(filter)) {
            node = node.children.get(level);
        }
        node.subscribers.remove(subscriber);
        size--;
        while (node != root && node.subscribers.isEmpty() && node.children.isEmpty()) {
            node.parent.children.remove(node.level, node);
            node = node.parent;
        }
    }

    private static final class Node<S> {
        final Node<S> parent;
        final String level;
        final ConcurrentHashMap<String, Node<S>> children = new ConcurrentHashMap<>();
        final ConcurrentHashMap<S, SubscriptionOptions> subscribers = new ConcurrentHashMap<>();

        Node(Node<S> parent, String level) {
            this.parent = parent;
            this.level = level;
        }
    }
}
