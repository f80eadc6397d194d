package io.tidegate.loadgen.client;

import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.tidegate.loadgen.metrics.RunClock;
import io.tidegate.loadgen.metrics.RunMetrics;
import io.tidegate.loadgen.scenario.LoadSpec;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every connection of a run shares: the spec, clock, metrics, TLS, and the run's phase flags.
 * Per-device state lives in the connection handlers; this is the part that is the same for all.
 */
public final class FleetContext {

    public final LoadSpec spec;
    public final RunClock clock;
    public final RunMetrics metrics;
    /** Null for plain TCP. */
    public final ClientTls tls;
    public final MqttQoS qos;
    final MqttFixedHeader publishHeader;
    /** QoS 1/2 publishes sent and not yet acknowledged (or known lost), across the fleet. */
    public final LongAdder outstanding = new LongAdder();
    /** QoS 1/2 publishes in flight on connections that were lost: never acknowledged. */
    public final LongAdder lostInFlight = new LongAdder();
    /** Connections between the TCP connect and the CONNACK (or failure): what the ramp limits. */
    public final AtomicInteger pendingConnects = new AtomicInteger();
    /** Devices that will publish no more: done with their messages, refused, or disconnected. */
    public final AtomicInteger doneDevices = new AtomicInteger();
    private volatile boolean publishing = true;
    private volatile boolean closing;

    public FleetContext(LoadSpec spec, RunClock clock, RunMetrics metrics, ClientTls tls) {
        this.spec = spec;
        this.clock = clock;
        this.metrics = metrics;
        this.tls = tls;
        this.qos = MqttQoS.valueOf(spec.qos());
        this.publishHeader = new MqttFixedHeader(MqttMessageType.PUBLISH, false, qos, false, 0);
    }

    public boolean publishing() {
        return publishing;
    }

    /** End of the publish phase: devices send nothing new, outstanding acknowledgements may still arrive. */
    public void stopPublishing() {
        publishing = false;
    }

    public boolean closing() {
        return closing;
    }

    /** From here on a closed connection is expected, not an error. */
    public void startClosing() {
        closing = true;
    }
}
