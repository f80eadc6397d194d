package io.tidegate.mqtt;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Meters of the MQTT layer. Counters with a free-form label are created once per label value. */
public final class MqttMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger connections = new AtomicInteger();
    private final Counter[] messagesIn = new Counter[3];
    private final Counter[] bytesIn = new Counter[3];
    private final ConcurrentMap<String, Counter> rejected = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> disconnects = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> dropped = new ConcurrentHashMap<>();
    private final Counter connects;
    private final Counter delivered;

    public MqttMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("tidegate.connections", Tags.empty(), connections);
        for (int qos = 0; qos < 3; qos++) {
            messagesIn[qos] = Counter.builder("tidegate.messages.in").tag("qos", Integer.toString(qos))
                    .description("PUBLISH packets accepted from clients").register(registry);
            bytesIn[qos] = Counter.builder("tidegate.bytes.in").tag("qos", Integer.toString(qos)).baseUnit("bytes")
                    .description("Payload bytes accepted from clients").register(registry);
        }
        connects = Counter.builder("tidegate.connects").description("Accepted MQTT connections").register(registry);
        delivered = Counter.builder("tidegate.messages.delivered")
                .description("PUBLISH packets sent to local subscribers").register(registry);
    }

    void connected() {
        connections.incrementAndGet();
        connects.increment();
    }

    void disconnected() {
        connections.decrementAndGet();
    }

    void messageIn(int qos, int payloadBytes) {
        messagesIn[qos].increment();
        bytesIn[qos].increment(payloadBytes);
    }

    void delivered() {
        delivered.increment();
    }

    /** A packet refused with an error (the connection may stay open). */
    void rejected(String reason) {
        rejected.computeIfAbsent(reason, r -> Counter.builder("tidegate.mqtt.rejected").tag("reason", r)
                .description("Packets refused, by reason").register(registry)).increment();
    }

    /** A connection the server closed, by reason. */
    void disconnect(String reason) {
        disconnects.computeIfAbsent(reason, r -> Counter.builder("tidegate.mqtt.disconnects").tag("reason", r)
                .description("Connections closed by the server, by reason").register(registry)).increment();
    }

    /** A message to a local subscriber that could not be delivered, by reason. */
    void dropped(String reason) {
        dropped(reason, 1);
    }

    void dropped(String reason, int messages) {
        dropped.computeIfAbsent(reason, r -> Counter.builder("tidegate.messages.dropped").tag("reason", r)
                .description("Messages not delivered to a local subscriber, by reason").register(registry))
                .increment(messages);
    }

    public int connections() {
        return connections.get();
    }
}
