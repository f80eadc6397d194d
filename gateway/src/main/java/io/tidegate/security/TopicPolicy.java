package io.tidegate.security;

import io.tidegate.mqtt.topic.Topics;

import java.util.List;

/**
 * The topic filters one connected client may publish and subscribe to, with its variables already
 * substituted. A deny filter wins over every allow filter. Immutable; checked on every PUBLISH, so
 * it holds plain lists of a handful of filters.
 *
 * @param name          the policy's name in the configuration
 * @param publish       filters the client may publish to
 * @param subscribe     filters the client may subscribe within
 * @param denyPublish   filters the client may not publish to, whatever {@code publish} allows
 * @param denySubscribe filters the client may not receive from: a subscription that could match any
 *                      topic of theirs is refused
 */
public record TopicPolicy(String name, List<String> publish, List<String> subscribe, List<String> denyPublish,
                          List<String> denySubscribe) {

    public TopicPolicy {
        publish = List.copyOf(publish);
        subscribe = List.copyOf(subscribe);
        denyPublish = List.copyOf(denyPublish);
        denySubscribe = List.copyOf(denySubscribe);
    }

    public TopicPolicy(String name, List<String> publish, List<String> subscribe) {
        this(name, publish, subscribe, List.of(), List.of());
    }

    public boolean mayPublish(String topic) {
        for (String denied : denyPublish) {
            if (Topics.matches(denied, topic)) {
                return false;
            }
        }
        for (String filter : publish) {
            if (Topics.matches(filter, topic)) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when every topic {@code requestedFilter} can match lies inside one allowed filter, and
     * none of them inside a denied one.
     */
    public boolean maySubscribe(String requestedFilter) {
        for (String denied : denySubscribe) {
            if (Topics.overlap(requestedFilter, denied)) {
                return false;
            }
        }
        for (String allowed : subscribe) {
            if (Topics.isInside(requestedFilter, allowed)) {
                return true;
            }
        }
        return false;
    }
}
