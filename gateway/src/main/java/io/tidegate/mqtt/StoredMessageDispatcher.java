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
    private final List<MqttSession> touched = new ArrayList<>();

    public StoredMessageDispatcher(SubscriptionTree<MqttSession> subscriptions) {
        this.subscriptions = subscriptions;
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
        if (event.stored() && subscriptions.size() > 0) {
            deliverLocally(event);
        }
    }

    private void deliverLocally(IngestEvent event) {
        OutboundPublish[] shared = new OutboundPublish[1];
        subscriptions.match(event.topic(), (subscriber, grantedQos) -> {
            if (shared[0] == null) {
                shared[0] = new OutboundPublish(event.topic(),
                        Arrays.copyOf(event.payload(), event.payloadLength()), event.properties());
            }
            subscriber.enqueue(new MqttSession.Delivery(shared[0], Math.min(event.qos(), grantedQos)));
            touch(subscriber);
        });
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
