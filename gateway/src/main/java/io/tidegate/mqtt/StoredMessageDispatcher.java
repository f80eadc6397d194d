package io.tidegate.mqtt;

import io.tidegate.mqtt.topic.SubscriptionTree;
import io.tidegate.pipeline.IngestEvent;
import io.tidegate.pipeline.PublishOrigin;
import io.tidegate.pipeline.StoredMessageListener;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
        if (origin instanceof MqttSession publisher) {
            if (event.qos() > 0) {
                publisher.onStored(event);
                touch(publisher);
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

    /**
     * One delivery per matching subscriber at the lower of the published and granted QoS. RETAIN is
     * cleared for an established subscription [MQTT-3.3.1-9] unless it asked Retain As Published
     * [MQTT-3.3.1-12]; a No Local subscription does not get its own messages [MQTT-3.8.3-3].
     */
    private void deliverLocally(IngestEvent event, OutboundPublish[] copy) {
        PublishOrigin origin = event.origin();
        subscriptions.matchOptions(event.topic(), (subscriber, options) -> {
            if (options.noLocal() && subscriber == origin) {
                return;
            }
            if (copy[0] == null) {
                copy[0] = copy(event);
            }
            subscriber.enqueue(new MqttSession.Delivery(copy[0], Math.min(event.qos(), options.qos()),
                    options.retainAsPublished() && event.retain()));
            touch(subscriber);
        });
    }

    /** One member of each matching shared group, taking turns; RETAIN as for any established subscription. */
    private void deliverShared(IngestEvent event, OutboundPublish[] copy) {
        shared.match(event.topic(), (member, options) -> {
            if (copy[0] == null) {
                copy[0] = copy(event);
            }
            member.enqueue(new MqttSession.Delivery(copy[0], Math.min(event.qos(), options.qos()),
                    options.retainAsPublished() && event.retain()));
            touch(member);
        });
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
