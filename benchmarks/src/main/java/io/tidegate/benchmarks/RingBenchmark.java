package io.tidegate.benchmarks;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tidegate.config.OutboxConfig;
import io.tidegate.config.PipelineConfig;
import io.tidegate.outbox.MessageProperties;
import io.tidegate.outbox.Outbox;
import io.tidegate.pipeline.IngestEvent;
import io.tidegate.pipeline.IngestEventWriter;
import io.tidegate.pipeline.IngestRing;
import io.tidegate.pipeline.Router;
import io.tidegate.pipeline.StoredMessageListener;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The ingest ring's hand-off, end to end: one producer thread (standing in for an event loop)
 * publishes 200-byte QoS 1 messages with {@link IngestRing#tryPublish}; the ring's stage thread
 * routes each ({@link Router#always} to one destination), appends it to a real outbox (Chronicle
 * Queue in a temporary directory) and hands it to a no-op {@link StoredMessageListener}. An
 * operation is one message published <em>and</em> stored: each invocation publishes
 * {@value #BATCH} messages and waits until the listener saw all of them, so the figure is the
 * pipeline's sustained publish+store rate (producer and stage thread on the 2 cores), not just
 * the producer's claim rate. Production settings: the default ring size and the blocking wait strategy.
 *
 * <p>The outbox is created afresh for each iteration and deleted after it, to bound the disk used.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar RingBenchmark -f 1 -wi 3 -i 5 -t 1</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED",
        "-Dchronicle.analytics.disable=true"})
public class RingBenchmark {

    static final int BATCH = 1_000;

    /** Fills a slot as the MQTT layer does: the publish fields, then the payload copied in. */
    private static final IngestEventWriter<RingBenchmark, byte[]> WRITER = (event, bench, payload) -> {
        event.set(null, bench.nextPacketId(), 1, false, "truck-0042", RulesBenchmark.TOPIC, MessageProperties.NONE,
                System.currentTimeMillis(), System.nanoTime());
        System.arraycopy(payload, 0, event.payloadBuffer(payload.length), 0, payload.length);
    };

    /** Counts what the ack stage hands over; publishes the count once per ring batch. */
    static final class CountingListener implements StoredMessageListener {
        private long seen;
        private long failed;
        volatile long handedOver;
        volatile long failures;

        @Override
        public void onStored(IngestEvent event) {
            seen++;
            if (!event.stored()) {
                failed++;
            }
        }

        @Override
        public void endOfBatch() {
            failures = failed;
            handedOver = seen;
        }
    }

    private byte[] payload;
    private int packetId;
    private long published;
    private Path dir;
    private Outbox outbox;
    private IngestRing ring;
    private CountingListener listener;

    int nextPacketId() {
        packetId = packetId == 65_535 ? 1 : packetId + 1;
        return packetId;
    }

    @Setup(Level.Trial)
    public void setUpPayload() {
        payload = RulesBenchmark.PAYLOAD.getBytes(StandardCharsets.UTF_8);
        if (payload.length != 200) {
            throw new IllegalStateException("payload is " + payload.length + " bytes, expected 200");
        }
    }

    @Setup(Level.Iteration)
    public void startRing() {
        dir = TempDirs.create("tidegate-ring-bench");
        outbox = Outbox.open("bench", dir.resolve("outbox").resolve("bench"), OutboxConfig.RollCycle.HOURLY);
        listener = new CountingListener();
        published = 0;
        ring = new IngestRing(new PipelineConfig(null, PipelineConfig.WaitStrategy.BLOCKING), List.of(outbox),
                Router.always(0), listener, new SimpleMeterRegistry());
        ring.start();
    }

    @TearDown(Level.Iteration)
    public void stopRing() {
        try {
            ring.shutdown(Duration.ofSeconds(30));
            if (listener.failures != 0) {
                throw new IllegalStateException(listener.failures + " messages were not stored");
            }
            if (outbox.countAfter(Outbox.NO_POSITION) != published) {
                throw new IllegalStateException("the outbox holds " + outbox.countAfter(Outbox.NO_POSITION)
                        + " entries, " + published + " were published");
            }
        } finally {
            outbox.close();
            TempDirs.delete(dir);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long publishAndStore() {
        for (int i = 0; i < BATCH; i++) {
            while (!ring.tryPublish(WRITER, this, payload)) {
                Thread.onSpinWait(); // ring full: the event loop would pause its socket
            }
        }
        published += BATCH;
        while (listener.handedOver < published) {
            Thread.onSpinWait();
        }
        return listener.handedOver;
    }
}
