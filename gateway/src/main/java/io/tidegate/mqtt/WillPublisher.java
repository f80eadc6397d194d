package io.tidegate.mqtt;

import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Publishes a will into the ring after its connection closed. The session is closed by then, so
 * the ack stage sends nothing back; a full ring is retried from the event loop for a while.
 */
final class WillPublisher {

    private static final Logger events = LoggerFactory.getLogger("tidegate.event");
    private static final int MAX_ATTEMPTS = 5_000;

    private WillPublisher() {
    }

    static void publish(MqttServerContext server, MqttSession session, Will will, EventLoop loop) {
        attempt(server, session, will, loop, 1);
    }

    private static void attempt(MqttServerContext server, MqttSession session, Will will, EventLoop loop, int n) {
        if (server.ring().tryPublish(IngestWriters.WILL, session, will)) {
            server.metrics().messageIn(will.qos(), will.payload().length);
            events.info("will published client={} topic={}", session.clientId(), will.topic());
            return;
        }
        if (n >= MAX_ATTEMPTS || !server.ring().isRunning() || loop.isShuttingDown()) {
            server.metrics().dropped("will_ring_full");
            events.warn("will dropped client={} topic={}: the ring stayed full", session.clientId(), will.topic());
            return;
        }
        loop.schedule(() -> attempt(server, session, will, loop, n + 1), 1, TimeUnit.MILLISECONDS);
    }
}
