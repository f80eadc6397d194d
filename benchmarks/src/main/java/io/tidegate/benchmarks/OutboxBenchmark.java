package io.tidegate.benchmarks;

import io.tidegate.config.OutboxConfig;
import io.tidegate.outbox.MessageProperties;
import io.tidegate.outbox.Outbox;
import io.tidegate.outbox.OutboxAppender;
import io.tidegate.outbox.OutboxEntry;
import io.tidegate.outbox.OutboxReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The outbox alone, one thread, a Chronicle Queue in a temporary directory (deleted in
 * {@code @TearDown}): {@code append} writes one entry as the persist stage does (200-byte payload,
 * QoS 1, no MQTT 5 properties, no action settings); {@code tail} reads entries back with the
 * forwarder's reader ({@link OutboxReader#next}, decoding each into an {@link OutboxEntry}), over
 * {@value #TAIL_ENTRIES} entries appended at setup, rewinding to the start when it reaches the end.
 *
 * <p>The appending outbox is created afresh for each iteration and deleted after it, to bound the
 * disk used (a few GB per iteration at full speed).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar OutboxBenchmark -f 1 -wi 3 -i 5 -t 1</pre>
 */
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
public class OutboxBenchmark {

    static final int TAIL_ENTRIES = 200_000;
    static final String CLIENT_ID = "truck-0042";

    static byte[] payload() {
        byte[] payload = RulesBenchmark.PAYLOAD.getBytes(StandardCharsets.UTF_8);
        if (payload.length != 200) {
            throw new IllegalStateException("payload is " + payload.length + " bytes, expected 200");
        }
        return payload;
    }

    /** A fresh outbox per iteration and this thread's appender. */
    @State(Scope.Thread)
    public static class AppendState {
        final byte[] payload = payload();
        long sequence;
        Path dir;
        Outbox outbox;
        OutboxAppender appender;

        @Setup(Level.Iteration)
        public void open() {
            dir = TempDirs.create("tidegate-outbox-bench");
            outbox = Outbox.open("bench", dir.resolve("bench"), OutboxConfig.RollCycle.HOURLY);
            appender = outbox.newAppender();
        }

        @TearDown(Level.Iteration)
        public void close() {
            try {
                appender.close();
                outbox.close();
            } finally {
                TempDirs.delete(dir);
            }
        }
    }

    /** An outbox of {@value #TAIL_ENTRIES} entries and a reader over it. */
    @State(Scope.Thread)
    public static class TailState {
        Path dir;
        Outbox outbox;
        OutboxReader reader;

        @Setup(Level.Trial)
        public void fill() {
            byte[] payload = payload();
            dir = TempDirs.create("tidegate-outbox-tail-bench");
            outbox = Outbox.open("bench", dir.resolve("bench"), OutboxConfig.RollCycle.HOURLY);
            try (OutboxAppender appender = outbox.newAppender()) {
                for (long i = 0; i < TAIL_ENTRIES; i++) {
                    appender.append(0x0123_4567_89AB_CDEFL, i, 1_700_000_000_123L + i, CLIENT_ID,
                            RulesBenchmark.TOPIC, 1, false, MessageProperties.NONE, payload, payload.length);
                }
            }
            reader = outbox.openReader("bench");
            OutboxEntry first = reader.next();
            if (first == null || first.payload().length != 200 || !first.topic().equals(RulesBenchmark.TOPIC)) {
                throw new IllegalStateException("the outbox did not give back what was appended: " + first);
            }
            reader.rewind();
        }

        @TearDown(Level.Trial)
        public void close() {
            try {
                reader.close();
                outbox.close();
            } finally {
                TempDirs.delete(dir);
            }
        }
    }

    @Benchmark
    public long append(AppendState s) {
        long id = s.sequence++;
        return s.appender.append(0x0123_4567_89AB_CDEFL, id, 1_700_000_000_123L, CLIENT_ID, RulesBenchmark.TOPIC,
                1, false, MessageProperties.NONE, s.payload, s.payload.length);
    }

    @Benchmark
    public OutboxEntry tail(TailState s) {
        OutboxEntry entry = s.reader.next();
        if (entry == null) {
            s.reader.rewind();
            entry = s.reader.next();
        }
        return entry;
    }
}
