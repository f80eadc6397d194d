package io.tidegate.loadgen.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/** Counters and latency recorders shared by every connection of a run; all safe to update from any thread. */
public final class RunMetrics {

    public final LatencyRecorder connectLatency = new LatencyRecorder();
    public final LatencyRecorder ackLatency = new LatencyRecorder();
    public final LatencyRecorder deliveryLatency = new LatencyRecorder();
    /**
     * Paced runs: how late the load generator itself sent each publish after its intended time. A
     * large lag means the generator, not the broker, fell behind: its share of the latencies above.
     */
    public final LatencyRecorder sendLag = new LatencyRecorder();

    public final LongAdder connectAttempts = new LongAdder();
    public final LongAdder sent = new LongAdder();
    public final LongAdder acked = new LongAdder();
    public final LongAdder delivered = new LongAdder();
    public final LongAdder payloadBytes = new LongAdder();
    public final AtomicInteger connected = new AtomicInteger();
    public final AtomicInteger peakConnected = new AtomicInteger();
    public final AtomicInteger finishedDevices = new AtomicInteger();
    /** First publish and last acknowledgement or delivery, for the throughput window. */
    public final LongAccumulator firstSendNanos = new LongAccumulator(Math::min, Long.MAX_VALUE);
    public final LongAccumulator lastCompletionNanos = new LongAccumulator(Math::max, Long.MIN_VALUE);

    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final LongAdder errorTotal = new LongAdder();

    /** Counts one error of a kind, e.g. {@code "connect refused"} or {@code "puback 0x87"}. */
    public void error(String kind) {
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
        errorTotal.increment();
    }

    public void error(String kind, long count) {
        if (count > 0) {
            errors.computeIfAbsent(kind, k -> new LongAdder()).add(count);
            errorTotal.add(count);
        }
    }

    public long errors() {
        return errorTotal.sum();
    }

    public Map<String, Long> errorsByKind() {
        Map<String, Long> result = new TreeMap<>();
        errors.forEach((kind, count) -> result.put(kind, count.sum()));
        return result;
    }

    /**
     * The end of a warm-up: counts and latencies start again from zero (errors, connections and the
     * connect latencies of the ramp stay). Call from the sampler, which resets its own deltas too.
     */
    void restartMeasurement(long nowNanos) {
        sent.reset();
        acked.reset();
        delivered.reset();
        payloadBytes.reset();
        ackLatency.reset();
        deliveryLatency.reset();
        sendLag.reset();
        firstSendNanos.reset();
        firstSendNanos.accumulate(nowNanos);
        lastCompletionNanos.reset();
    }

    public void connectionUp() {
        int now = connected.incrementAndGet();
        peakConnected.accumulateAndGet(now, Math::max);
    }

    public void connectionDown() {
        connected.decrementAndGet();
    }
}
