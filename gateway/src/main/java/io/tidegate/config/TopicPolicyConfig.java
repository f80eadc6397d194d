package io.tidegate.config;

import java.util.List;

/**
 * Topic filters a policy allows. An empty list allows nothing.
 *
 * @param publish   filters a client may publish to (its will message included)
 * @param subscribe filters a client may subscribe to; a requested filter must lie inside one of them
 */
public record TopicPolicyConfig(List<String> publish, List<String> subscribe) {

    public TopicPolicyConfig {
        publish = publish == null ? List.of() : List.copyOf(publish);
        subscribe = subscribe == null ? List.of() : List.copyOf(subscribe);
    }
}
