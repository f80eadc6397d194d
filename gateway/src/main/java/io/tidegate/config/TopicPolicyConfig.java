package io.tidegate.config;

import java.util.List;

/**
 * Topic filters a policy allows, and those it denies whatever it allows. An empty allow list allows
 * nothing.
 *
 * @param publish       filters a client may publish to (its will message included)
 * @param subscribe     filters a client may subscribe to; a requested filter must lie inside one of them
 * @param denyPublish   filters a client may never publish to
 * @param denySubscribe filters a client may never receive from: a requested filter that could match
 *                      one of their topics is refused
 */
public record TopicPolicyConfig(List<String> publish, List<String> subscribe, List<String> denyPublish,
                                List<String> denySubscribe) {

    public TopicPolicyConfig {
        publish = publish == null ? List.of() : List.copyOf(publish);
        subscribe = subscribe == null ? List.of() : List.copyOf(subscribe);
        denyPublish = denyPublish == null ? List.of() : List.copyOf(denyPublish);
        denySubscribe = denySubscribe == null ? List.of() : List.copyOf(denySubscribe);
    }

    public TopicPolicyConfig(List<String> publish, List<String> subscribe) {
        this(publish, subscribe, null, null);
    }
}
