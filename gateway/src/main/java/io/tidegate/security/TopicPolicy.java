package io.tidegate.security;

import io.tidegate.mqtt.topic.Topics;

import java.util.List;

/**
 * The topic filters one connected client may publish and subscribe to, with its variables already
 * substituted. Immutable; checked on every PUBLISH, so it holds plain lists of a handful of filters.
 *
 * @param name      the policy's name in the configuration
 * @param publish   filters the client may publish to
 * @param subscribe filters the client may subscribe within
 */
public record TopicPolicy(String name, List<String> publish, List<String> subscribe) {

    public TopicPolicy {
        publish = List.copyOf(publish);
        subscribe = List.copyOf(subscribe);
    }

    public boolean mayPublish(String topic) {
        for (String filter : publish) {
            if (Topics.matches(filter, topic)) {
                return true;
            }
        }
        return false;
    }

    /** True when every topic {@code requestedFilter} can match lies inside one allowed filter. */
    public boolean maySubscribe(String requestedFilter) {
        for (String allowed : subscribe) {
            if (Topics.isInside(requestedFilter, allowed)) {
                return true;
            }
        }
        return false;
    }
}
