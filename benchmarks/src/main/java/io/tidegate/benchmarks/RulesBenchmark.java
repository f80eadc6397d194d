package io.tidegate.benchmarks;

import io.tidegate.config.ActionConfig;
import io.tidegate.config.RoutingConfig;
import io.tidegate.config.RuleConfig;
import io.tidegate.rules.ActionSettings;
import io.tidegate.rules.MessageInput;
import io.tidegate.rules.RouteSink;
import io.tidegate.rules.RuleSet;
import io.tidegate.rules.sql.EvalContext;
import io.tidegate.rules.sql.ParseException;
import io.tidegate.rules.sql.Template;
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

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The rules engine on the route stage's path, one thread: a typical rule (three fields, one
 * numeric comparison) on a 200-byte JSON payload, {@code SELECT *} passed through, and a
 * substitution template. Each {@code route} call resets the context, so the payload is parsed
 * anew every time, as for a new message.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar RulesBenchmark -f 1 -wi 3 -i 5 -t 1</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RulesBenchmark {

    /** 200 bytes, the shape of a telemetry message. */
    static final String PAYLOAD = "{\"deviceId\":\"truck-0042\",\"ts\":1700000000123,\"temperature\":72.5,"
            + "\"humidity\":40.2,\"pressure\":1013.25,\"battery\":87,\"location\":{\"lat\":47.6062,\"lon\":-122.3321},"
            + "\"status\":\"ok\",\"firmware\":\"2.4.1\",\"seq\":123456}";
    static final String TOPIC = "dt/truck-0042/telemetry";

    private static final RoutingConfig ROUTING = new RoutingConfig("file", RoutingConfig.Unmatched.DEFAULT);

    private RuleSet typicalRule;
    private RuleSet selectStar;
    private Template template;
    private final EvalContext templateContext = new EvalContext();
    private final MessageInput message = new MessageInput();
    private final CountingSink sink = new CountingSink();

    /** Consumes deliveries cheaply; the running total keeps the JIT from discarding the work. */
    static final class CountingSink implements RouteSink {
        long total;

        @Override
        public void deliver(int destinationId, byte[] payload, int length, ActionSettings settings) {
            total += destinationId + length + (payload == null ? 0 : payload[length - 1]);
        }
    }

    @Setup
    public void setUp() throws ParseException {
        byte[] payload = PAYLOAD.getBytes(StandardCharsets.UTF_8);
        if (payload.length != 200) {
            throw new IllegalStateException("payload is " + payload.length + " bytes, expected 200");
        }
        message.set(TOPIC, "truck-0042", "truck-0042", 1_700_000_000_123L, 1, payload, 0, payload.length, null);
        typicalRule = compile("SELECT deviceId, temperature, humidity FROM 'dt/+/telemetry' WHERE temperature > 50");
        selectStar = compile("SELECT * FROM 'dt/#'");
        template = Template.parse("telemetry/${topic(2)}/${timestamp()}");
        if (typicalRule.route(message, sink) != 1) {
            throw new IllegalStateException("the typical rule must match the benchmark message");
        }
    }

    private static RuleSet compile(String sql) {
        RuleConfig rule = new RuleConfig("bench", sql, List.of(new ActionConfig("kinesis", Map.of())), null, true);
        return RuleSet.compile(List.of(rule), ROUTING, name -> name.equals("kinesis") ? 1 : 0);
    }

    @Benchmark
    public long typicalRule() {
        typicalRule.route(message, sink);
        return sink.total;
    }

    @Benchmark
    public long selectStarPassthrough() {
        selectStar.route(message, sink);
        return sink.total;
    }

    @Benchmark
    public String templateRender() {
        templateContext.reset(message);
        return template.render(templateContext);
    }
}
