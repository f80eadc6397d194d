package io.tidegate.pipeline;

import io.tidegate.forward.iotcore.DownstreamSink;

/**
 * Puts messages from the cloud into the ingest ring as local-only events: they reach local
 * subscribers in ring order with every other message, skip the rules and the outboxes, and are
 * acknowledged upstream once the ack stage handed them to the subscribers' sessions.
 */
public final class RingDownstreamSink implements DownstreamSink {

    private static final IngestEventWriter<Downstream, byte[]> WRITER = (event, origin, payload) -> {
        event.set(origin, 0, origin.qos, false, origin.clientId, origin.topic, null, System.currentTimeMillis(),
                System.nanoTime());
        event.localOnly();
        System.arraycopy(payload, 0, event.payloadBuffer(payload.length), 0, payload.length);
    };

    private final IngestRing ring;

    public RingDownstreamSink(IngestRing ring) {
        this.ring = ring;
    }

    @Override
    public boolean offer(String clientId, String topic, byte[] payload, int qos, Runnable delivered) {
        return ring.tryPublish(WRITER, new Downstream(clientId, topic, qos, delivered), payload);
    }

    /** The origin of one downstream message: runs its acknowledgement once the ack stage passed it. */
    private static final class Downstream implements PublishOrigin {
        final String clientId;
        final String topic;
        final int qos;
        final Runnable delivered;

        Downstream(String clientId, String topic, int qos, Runnable delivered) {
            this.clientId = clientId;
            this.topic = topic;
            this.qos = qos;
            this.delivered = delivered;
        }

        @Override
        public void onStored(IngestEvent event) {
            delivered.run();
        }
    }
}
