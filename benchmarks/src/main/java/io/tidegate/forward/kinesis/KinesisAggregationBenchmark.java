package io.tidegate.forward.kinesis;

import io.tidegate.forward.WriteResult;
import io.tidegate.forward.aws.MessageKey;
import io.tidegate.config.KeySource;
import io.tidegate.outbox.MessageProperties;
import io.tidegate.outbox.OutboxEntry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * KPL aggregation as the Kinesis destination does it for one PutRecords call: {@link RecordPacker}
 * packs a batch of {@value #BATCH} outbox entries (200-byte JSON payloads, partition key = client
 * id, default 50 KB target) into aggregated records: grouping by key, protobuf and MD5. An
 * operation is one <em>message</em> packed ({@value #BATCH} per invocation). {@code devices} is how
 * many partition keys the batch spreads over (1: a few large records; 50: ten messages per key).
 *
 * <p>In package {@code io.tidegate.forward.kinesis} because the packer is package-private; this
 * works on the class path (the benchmarks jar is not modular).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar KinesisAggregationBenchmark -f 1 -wi 3 -i 5 -t 1</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class KinesisAggregationBenchmark {

    static final int BATCH = 500;
    /** The destination's default {@code aggregationTargetBytes}. */
    static final int TARGET_BYTES = 50 * 1024;
    static final String PAYLOAD = "{\"deviceId\":\"truck-0042\",\"ts\":1700000000123,\"temperature\":72.5,"
            + "\"humidity\":40.2,\"pressure\":1013.25,\"battery\":87,\"location\":{\"lat\":47.6062,\"lon\":-122.3321},"
            + "\"status\":\"ok\",\"firmware\":\"2.4.1\",\"seq\":123456}";

    @Param({"1", "50"})
    public int devices;

    private RecordPacker packer;
    private List<OutboxEntry> batch;

    @Setup
    public void setUp() {
        byte[] payload = PAYLOAD.getBytes(StandardCharsets.UTF_8);
        if (payload.length != 200) {
            throw new IllegalStateException("payload is " + payload.length + " bytes, expected 200");
        }
        packer = new RecordPacker(MessageKey.of(KeySource.CLIENT_ID), true, TARGET_BYTES);
        batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            String device = String.format("truck-%04d", i % devices);
            batch.add(new OutboxEntry(i, new UUID(0x0123_4567_89AB_CDEFL, i), 1_700_000_000_123L + i, device,
                    "dt/" + device + "/telemetry", 1, false, MessageProperties.NONE, payload, 260));
        }
        WriteResult result = WriteResult.accepted(BATCH);
        List<PackedRecord> records = packer.pack(batch, result);
        int messages = records.stream().mapToInt(r -> r.positions().length).sum();
        if (messages != BATCH) {
            throw new IllegalStateException("packed " + messages + " of " + BATCH + " messages");
        }
        if (records.stream().anyMatch(r -> r.data().length > TARGET_BYTES)) {
            throw new IllegalStateException("a record is over the target size");
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public List<PackedRecord> packBatch() {
        return packer.pack(batch, WriteResult.accepted(BATCH));
    }
}
