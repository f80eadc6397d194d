package io.tidegate.mqtt;

import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Publishes a will into the ring once it is due: its connection closed (and its Will Delay
 * Interval passed, or its session ended). Nobody waits for an acknowledgement; a full ring is
 * retried for a while on {@code executor}, then the will is dropped and counted.
 */
final class WillPublisher {

    private static final Logger events = LoggerFactory.getLogger("tidegate.event");
    private static final int MAX_ATTEMPTS = 5_000;

    private WillPublisher() {
    }

    static void publish(MqttServerContext server, MqttSession session, Will will, EventExecutor executor) {
        attempt(server, session, will, executor, 1);
    }

    private static void attempt(MqttServerContext server, MqttSession session, Will will, EventExecutor executor,
                                int n) {
        if (server.ring().tryPublish(IngestWriters.WILL, session, will)) {
            server.metrics().messageIn(will.qos(), will.payload().length);
            events.info("will published client={} topic={}", session.clientId(), will.topic());
            return;
        }
        if (n >= MAX_ATTEMPTS || !server.ring().isRunning() || executor.isShuttingDown()) {
            server.metrics().dropped("will_ring_full");
            events.warn("will dropped client={} topic={}: the ring stayed full", session.clientId(), will.topic());
            return;
        }
        executor.schedule(() -> attempt(server, session, will, executor, n + 1), 1, TimeUnit.MILLISECONDS);
    }
}
