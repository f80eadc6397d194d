package io.tidegate.mqtt;

import io.tidegate.mqtt.topic.SubscriptionOptions;
import io.tidegate.mqtt.topic.SubscriptionTree;
import io.tidegate.pipeline.IngestEvent;
import io.tidegate.pipeline.PublishOrigin;
import io.tidegate.pipeline.StoredMessageListener;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The ack stage's view of the MQTT layer: for each stored message it queues the publisher's
 * acknowledgement and a delivery to every matching local subscriber; at the end of a batch it hands
 * each touched session to its event loop once.
 */
public final class StoredMessageDispatcher implements StoredMessageListener {

    private final SubscriptionTree<MqttSession> subscriptions;
    private final RetainedMessages retained;
    private final SharedSubscriptions shared;
    private final List<MqttSession> touched = new ArrayList<>();
    // Ack stage thread only: the subscriptions matched for the message at hand.
    private final List<MqttSession> matchedSessions = new ArrayList<>();
    private final List<SubscriptionOptions> matchedOptions = new ArrayList<>();
    private final BiConsumer<MqttSession, SubscriptionOptions> collector = (session, options) -> {
        matchedSessions.add(session);
        matchedOptions.add(options);
    };

    public StoredMessageDispatcher(SubscriptionTree<MqttSession> subscriptions) {
        this(subscriptions, new RetainedMessages());
    }

    public StoredMessageDispatcher(SubscriptionTree<MqttSession> subscriptions, RetainedMessages retained) {
        this(subscriptions, retained, new SharedSubscriptions());
    }

    public StoredMessageDispatcher(SubscriptionTree<MqttSession> subscriptions, RetainedMessages retained,
                                   SharedSubscriptions shared) {
        this.subscriptions = subscriptions;
        this.retained = retained;
        this.shared = shared;
    }

    @Override
    public void onStored(IngestEvent event) {
        PublishOrigin origin = event.origin();
        if (origin instanceof MqttConnection publisher) {
            if (event.qos() > 0) {
                publisher.onStored(event);
                touch(publisher.session());
            }
        } else if (origin != null) {
            origin.onStored(event);
        }
        if (!event.stored()) {
            return;
        }
        OutboundPublish[] copy = new OutboundPublish[1];
        if (event.retain()) {
            copy[0] = copy(event);
            retained.update(copy[0], event.qos());
        }
        if (subscriptions.size() > 0) {
            deliverLocally(event, copy);
        }
        deliverShared(event, copy);
    }

    /** The session a message came from: its publisher's, or the session whose will it is. */
    private static MqttSession originSession(PublishOrigin origin) {
        if (origin instanceof MqttConnection connection) {
            return connection.session();
        }
        return origin instanceof MqttSession session ? session : null;
    }

    /**
     * One delivery per matching subscriber at the lower of the published QoS and the highest QoS
     * its matching subscriptions were granted [MQTT-3.3.4-2], carrying the Subscription Identifier of
     * each of them [MQTT-3.3.4-3, -4]. RETAIN is cleared for an established subscription
     * [MQTT-3.3.1-12] unless it asked Retain As Published [MQTT-3.3.1-13]; a No Local subscription
     * does not get its own session's messages [MQTT-3.8.3-3].
     */
    private void deliverLocally(IngestEvent event, OutboundPublish[] copy) {
        MqttSession origin = originSession(event.origin());
        int filters = subscriptions.matchEach(event.topic(), collector);
        try {
            if (filters <= 1) {
                // One filter: each subscriber appears once, nothing to merge (the common case).
                for (int i = 0; i < matchedSessions.size(); i++) {
                    SubscriptionOptions options = matchedOptions.get(i);
                    MqttSession subscriber = matchedSessions.get(i);
                    if (options.noLocal() && subscriber == origin) {
                        continue;
                    }
                    deliver(subscriber, event, copy, options.qos(), options.retainAsPublished(),
                            OutboundPublish.subscriptionIds(options.subscriptionId()));
                }
            } else {
                deliverMerged(event, copy, origin);
            }
        } finally {
            matchedSessions.clear();
            matchedOptions.clear();
        }
    }

    /** Overlapping subscriptions of one subscriber: one delivery, their options merged. */
    private void deliverMerged(IngestEvent event, OutboundPublish[] copy, MqttSession origin) {
        Map<MqttSession, Merged> merged = new LinkedHashMap<>();
        for (int i = 0; i < matchedSessions.size(); i++) {
            SubscriptionOptions options = matchedOptions.get(i);
            MqttSession subscriber = matchedSessions.get(i);
            if (options.noLocal() && subscriber == origin) {
                continue; // this subscription does not take its own messages; another may
            }
            merged.computeIfAbsent(subscriber, s -> new Merged()).add(options);
        }
        merged.forEach((subscriber, m) -> deliver(subscriber, event, copy, m.qos, m.retainAsPublished, m.ids()));
    }

    private void deliver(MqttSession subscriber, IngestEvent event, OutboundPublish[] copy, int grantedQos,
                         boolean retainAsPublished, int[] subscriptionIds) {
        if (copy[0] == null) {
            copy[0] = copy(event);
        }
        subscriber.enqueue(new MqttSession.Delivery(copy[0], Math.min(event.qos(), grantedQos),
                retainAsPublished && event.retain(), subscriptionIds));
        touch(subscriber);
    }

    /** One member of each matching shared group, taking turns; RETAIN as for any established subscription. */
    private void deliverShared(IngestEvent event, OutboundPublish[] copy) {
        shared.match(event.topic(), (member, options) -> deliver(member, event, copy, options.qos(),
                options.retainAsPublished(), OutboundPublish.subscriptionIds(options.subscriptionId())));
    }

    /** The options of one subscriber's overlapping subscriptions, merged. */
    private static final class Merged {
        int qos;
        boolean retainAsPublished;
        int[] ids = OutboundPublish.NO_SUBSCRIPTION_IDS;

        void add(SubscriptionOptions options) {
            qos = Math.max(qos, options.qos());
            retainAsPublished |= options.retainAsPublished();
            if (options.subscriptionId() != 0) {
                ids = Arrays.copyOf(ids, ids.length + 1);
                ids[ids.length - 1] = options.subscriptionId();
            }
        }

        int[] ids() {
            return ids;
        }
    }

    private static OutboundPublish copy(IngestEvent event) {
        return new OutboundPublish(event.topic(), Arrays.copyOf(event.payload(), event.payloadLength()),
                event.properties(), event.ingestTimeMillis());
    }


    private void touch(MqttSession session) {
        if (!session.touchedInBatch) {
            session.touchedInBatch = true;
            touched.add(session);
        }
    }

    @Override
    public void endOfBatch() {
        for (int i = 0; i < touched.size(); i++) {
            MqttSession session = touched.get(i);
            session.touchedInBatch = false;
            session.handOver();
        }
        touched.clear();
    }
}
