package io.tidegate.forward.dynamodb;

import io.tidegate.config.DynamoDbConfig;
import io.tidegate.outbox.MessageProperties;
import io.tidegate.outbox.OutboxEntry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One outbox entry mapped to one DynamoDB item by {@link ItemMapper}, as the DynamoDB destination
 * does for each message: UTF-8 check, the 200-byte JSON object payload parsed into attributes (a
 * nested map included), partition and sort keys, metadata attributes and a TTL attribute.
 *
 * <p>In package {@code io.tidegate.forward.dynamodb} because the mapper is package-private; this
 * works on the class path (the benchmarks jar is not modular).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar DynamoDbItemBenchmark -f 1 -wi 3 -i 5 -t 1</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DynamoDbItemBenchmark {

    static final String PAYLOAD = "{\"deviceId\":\"truck-0042\",\"ts\":1700000000123,\"temperature\":72.5,"
            + "\"humidity\":40.2,\"pressure\":1013.25,\"battery\":87,\"location\":{\"lat\":47.6062,\"lon\":-122.3321},"
            + "\"status\":\"ok\",\"firmware\":\"2.4.1\",\"seq\":123456}";

    private ItemMapper mapper;
    private OutboxEntry entry;

    @Setup
    public void setUp() {
        byte[] payload = PAYLOAD.getBytes(StandardCharsets.UTF_8);
        if (payload.length != 200) {
            throw new IllegalStateException("payload is " + payload.length + " bytes, expected 200");
        }
        // Defaults (partition key = client id, pk/sk) with a one-day TTL.
        mapper = new ItemMapper(new DynamoDbConfig("telemetry", null, null, null, 86_400L, null));
        entry = new OutboxEntry(42, new UUID(0x0123_4567_89AB_CDEFL, 42), 1_700_000_000_123L, "truck-0042",
                "dt/truck-0042/telemetry", 1, false, MessageProperties.NONE, payload, 260);
        Map<String, AttributeValue> item = mapper.map(entry);
        if (!item.containsKey("temperature") || !item.get("location").hasM() || !item.containsKey("ttl")
                || !"truck-0042".equals(item.get("pk").s())) {
            throw new IllegalStateException("unexpected item " + item);
        }
    }

    @Benchmark
    public Map<String, AttributeValue> mapItem() {
        return mapper.map(entry);
    }
}
