package io.tidegate.benchmarks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import io.tidegate.config.AwsConfig;
import io.tidegate.config.BatchConfig;
import io.tidegate.config.DynamoDbConfig;
import io.tidegate.config.IotCoreConfig;
import io.tidegate.config.KinesisConfig;
import io.tidegate.config.OutboxConfig;
import io.tidegate.forward.DeadLetters;
import io.tidegate.forward.Destination;
import io.tidegate.forward.Forwarder;
import io.tidegate.forward.aws.AwsClientSettings;
import io.tidegate.forward.dynamodb.DynamoDbDestination;
import io.tidegate.forward.file.FileSink;
import io.tidegate.forward.iotcore.DownstreamSink;
import io.tidegate.forward.iotcore.IotCoreDestination;
import io.tidegate.forward.kinesis.CountingKinesis;
import io.tidegate.outbox.MessageProperties;
import io.tidegate.outbox.Outbox;
import io.tidegate.outbox.OutboxAppender;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.LongAdder;

/**
 * How fast one real {@link Forwarder} drains a full outbox into each destination, against the
 * local stand-ins: an outbox is filled with N messages of 200-byte JSON from D devices, then the
 * forwarder (with the gateway's own destination class) runs until the outbox backlog is 0. Not a
 * JMH benchmark: one drain of a large backlog is the figure wanted (catching up after an outage),
 * and the stand-ins, not the AWS services, set most of the pace, so read the rates as what the
 * gateway sustains against them on this machine, not as service limits.
 *
 * <p>Run through {@code benchmarks/destinations.sh}, which builds the jar, installs kinesalite and
 * passes the JVM flags Chronicle Queue needs.
 */
@Command(name = "destinations.sh", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Drains a filled outbox into each destination against its local stand-in and prints the rates.")
public final class DestinationDrain implements Callable<Integer> {

    static final int PAYLOAD_BYTES = 200;
    private static final int SEQ_WIDTH = 10;
    private static final String REGION = "us-east-1";

    /** What can be drained, with the default number of messages (the stand-ins of DynamoDB and IoT Core are slow). */
    enum Target {
        FILE("file", 1_000_000),
        KINESIS("kinesis", 1_000_000),
        KINESIS_AGGREGATED("kinesis-aggregated", 1_000_000),
        DYNAMODB("dynamodb", 100_000),
        IOTCORE("iotcore", 20_000);

        final String label;
        final int defaultMessages;

        Target(String label, int defaultMessages) {
            this.label = label;
            this.defaultMessages = defaultMessages;
        }

        static Target of(String label) {
            for (Target target : values()) {
                if (target.label.equals(label)) {
                    return target;
                }
            }
            throw new CommandLine.TypeConversionException("unknown destination '" + label + "'; one of "
                    + List.of(values()).stream().map(t -> t.label).toList());
        }
    }

    @Parameters(paramLabel = "DESTINATION", arity = "0..*", converter = TargetConverter.class,
            description = "file, kinesis, kinesis-aggregated, dynamodb, iotcore (default: all, in this order)")
    private List<Target> targets = new ArrayList<>();

    @Option(names = "--messages", paramLabel = "DESTINATION=N",
            description = "messages for one destination, e.g. --messages kinesis=200000 (defaults: 1,000,000 for "
                    + "file and kinesis, 100,000 for dynamodb, 20,000 for iotcore)")
    private Map<String, Integer> messages = new LinkedHashMap<>();

    @Option(names = "--devices", description = "distinct client ids, messages spread round-robin (default: ${DEFAULT-VALUE})")
    private int devices = 1000;

    @Option(names = "--shards", description = "shards of each Kinesis stream (default: ${DEFAULT-VALUE})")
    private int shards = 4;

    @Option(names = "--connections", description = "IoT Core pool size, 100 publishes/s each (default: ${DEFAULT-VALUE})")
    private int connections = 20;

    @Option(names = "--linger-ms", description = "batch linger of the forwarder (default: ${DEFAULT-VALUE}, the gateway's)")
    private int lingerMs = 20;

    @Option(names = "--aggregation-buckets", description = "kinesis-aggregated: aggregate by this many hash-key slices,"
            + " 0 by partition key (default: as many as --shards)")
    private Integer aggregationBuckets;

    @Option(names = "--batch-records", description = "batch.maxRecords of the forwarder (default: ${DEFAULT-VALUE}, the gateway's)")
    private int batchRecords = 1000;

    @Option(names = "--ingest-rate", description = "messages/s appended to the outbox while it drains, as devices"
            + " keep publishing; the drain ends when the initial backlog is delivered (default: ${DEFAULT-VALUE})")
    private int ingestRate = 0;

    @Option(names = "--max-in-flight", description = "batches written at once, batch.maxInFlight (default: ${DEFAULT-VALUE}, the gateway's)")
    private int maxInFlight = 1;

    @Option(names = "--timeout", description = "seconds one drain may take before the run fails (default: ${DEFAULT-VALUE})")
    private int timeoutSeconds = 1800;

    @Option(names = "--work-dir", description = "outboxes, file sink and stand-in files, emptied per destination (default: ${DEFAULT-VALUE})")
    private Path workDir = Path.of("benchmarks/target/destination-drain");

    @Option(names = "--kinesalite", description = "kinesalite's cli.js (default: ${DEFAULT-VALUE})")
    private Path kinesaliteCli = Path.of("benchmarks/target/kinesalite/node_modules/kinesalite/cli.js");

    private StandIns.Service kinesalite;
    private StandIns.Service dynamoDbLocal;
    private StandIns.Mosquitto mosquitto;

    public static void main(String[] args) {
        // Netty would log through log4j (on the class path for DynamoDB Local), whose API prints a
        // warning on stdout on Java 17; java.util.logging writes to stderr.
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
        System.exit(new CommandLine(new DestinationDrain()).execute(args));
    }

    static final class TargetConverter implements CommandLine.ITypeConverter<Target> {
        @Override
        public Target convert(String value) {
            return Target.of(value);
        }
    }

    @Override
    public Integer call() throws Exception {
        // kinesalite truncates CBOR responses over ~16 KB: the SDK must speak JSON to it.
        System.setProperty("aws.cborEnabled", "false");
        if (aggregationBuckets == null) {
            aggregationBuckets = shards;
        }
        List<Target> selected = targets.isEmpty() ? List.of(Target.values()) : targets;
        messages.keySet().forEach(Target::of);
        System.out.printf("# %d devices, %d-byte JSON payloads, QoS 1, linger %d ms, %d in flight; %d cores, JDK %s%n",
                devices, PAYLOAD_BYTES, lingerMs, maxInFlight, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        System.out.printf("%-19s %10s %8s %10s %10s %8s %13s  %-28s %6s%n", "destination", "messages", "seconds",
                "msg/s", "records/s", "msg/rec", "units/M msgs", "unit", "load1");
        try {
            for (Target target : selected) {
                Result r = drain(target, messages.getOrDefault(target.label, target.defaultMessages));
                String unitsPerMillion = r.unit == null ? "-" : String.format("%,.0f", r.units * 1_000_000.0 / r.forwarded);
                System.out.printf("%-19s %,10d %8.2f %,10.0f %,10.0f %8.2f %13s  %-28s %6.2f%n", target.label,
                        r.messages, r.seconds, r.messages / r.seconds, r.records / r.seconds,
                        (double) r.forwarded / r.records, unitsPerMillion, r.unit == null ? "-" : r.unit,
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            }
        } finally {
            closeStandIns();
        }
        return 0;
    }

    /**
     * @param messages  the backlog drained (the rate is of these)
     * @param forwarded every message delivered meanwhile, the ingested ones included (units are per these)
     * @param records service records sent: PutRecords records, items, publishes, file lines (retries included)
     * @param units   billable units the forwarder metered, 0 for the file sink
     */
    private record Result(long messages, long forwarded, double seconds, long records, double units, String unit) {
    }

    private Result drain(Target target, int count) throws Exception {
        Path dir = workDir.resolve(target.label);
        TempDirs.delete(dir);
        LongAdder kinesisRecords = new LongAdder();
        try (Outbox outbox = Outbox.open(target.label, dir.resolve("outbox"), OutboxConfig.RollCycle.HOURLY);
             Outbox deadLetterOutbox = Outbox.open(DeadLetters.outboxName(target.label), dir.resolve("deadletter"),
                     OutboxConfig.RollCycle.HOURLY)) {
            fill(outbox, count);
            // Connections, streams and tables are set up before the clock starts: the drain alone is timed.
            Destination destination = destination(target, dir, kinesisRecords);
            MeterRegistry registry = new SimpleMeterRegistry();
            Forwarder forwarder = new Forwarder(target.label, outbox, destination,
                    new DeadLetters(deadLetterOutbox, target.label), new BatchConfig(batchRecords, null, lingerMs, maxInFlight), registry);
            long backlogEnd = outbox.lastIndex();
            AtomicBoolean ingesting = new AtomicBoolean(true);
            LongAdder ingested = new LongAdder();
            Thread ingest = ingestRate > 0 ? startIngest(outbox, ingesting, ingested) : null;
            long start = System.nanoTime();
            forwarder.start();
            double seconds;
            try {
                awaitDrained(forwarder, outbox, backlogEnd, start);
                seconds = (System.nanoTime() - start) / 1e9;
            } finally {
                ingesting.set(false);
                if (ingest != null) {
                    ingest.join();
                }
                forwarder.stop(Duration.ofSeconds(10));
            }
            if (ingest != null) {
                System.err.printf("%s: %,d messages ingested during the drain (%,.0f/s)%n", target.label,
                        ingested.sum(), ingested.sum() / seconds);
            }
            long forwarded = (long) counter(registry, "tidegate.forwarded.messages", target);
            long rejected = (long) counter(registry, "tidegate.forward.rejects", target);
            if (forwarded < count || rejected != 0) {
                throw new IllegalStateException(target.label + ": " + forwarded + " of " + count + " messages accepted, "
                        + rejected + " dead-lettered");
            }
            long records = target == Target.KINESIS || target == Target.KINESIS_AGGREGATED ? kinesisRecords.sum()
                    : forwarded + (long) counter(registry, "tidegate.forward.retries", target);
            return new Result(count, forwarded, seconds, records, counter(registry, "tidegate.forward.billable.units", target),
                    destination.billableUnit());
        } finally {
            TempDirs.delete(dir);
        }
    }

    /** Appends {@code count} messages as the persist stage does, round-robin over the devices. */
    private void fill(Outbox outbox, int count) {
        byte[][] payloads = new byte[devices][];
        String[] clientIds = new String[devices];
        String[] topics = new String[devices];
        int seqEnd = 0;
        for (int d = 0; d < devices; d++) {
            clientIds[d] = String.format("device-%05d", d);
            topics[d] = "dt/" + clientIds[d] + "/telemetry";
            String head = "{\"deviceId\":\"" + clientIds[d] + "\",\"seq\":";
            String tail = ",\"temperature\":21.5,\"humidity\":48.2,\"battery\":87,\"status\":\"ok\",\"pad\":\"";
            String pad = "x".repeat(PAYLOAD_BYTES - head.length() - SEQ_WIDTH - tail.length() - 2);
            // The sequence number goes right-aligned into a field of spaces: still valid JSON, same size.
            payloads[d] = (head + " ".repeat(SEQ_WIDTH) + tail + pad + "\"}").getBytes(StandardCharsets.US_ASCII);
            seqEnd = head.length() + SEQ_WIDTH;
        }
        long idMsb = ThreadLocalRandom.current().nextLong();
        try (OutboxAppender appender = outbox.newAppender()) {
            for (int i = 0; i < count; i++) {
                int d = i % devices;
                byte[] payload = payloads[d];
                long seq = i / devices;
                int at = seqEnd;
                do {
                    payload[--at] = (byte) ('0' + seq % 10);
                    seq /= 10;
                } while (seq > 0);
                appender.append(idMsb, i, System.currentTimeMillis(), clientIds[d], topics[d], 1, false,
                        MessageProperties.NONE, payload, payload.length);
            }
        }
    }

    private Destination destination(Target target, Path dir, LongAdder kinesisRecords) throws Exception {
        return switch (target) {
            case FILE -> new FileSink(dir.resolve("sink"), 64L * 1024 * 1024, 3_600_000, Clock.systemUTC());
            case KINESIS, KINESIS_AGGREGATED -> {
                AwsConfig aws = aws(kinesalite());
                String stream = "drain-" + target.label;
                createStream(aws, stream);
                yield CountingKinesis.destination(aws,
                        new KinesisConfig(stream, null, target == Target.KINESIS_AGGREGATED, null,
                                aggregationBuckets), kinesisRecords);
            }
            case DYNAMODB -> {
                AwsConfig aws = aws(dynamoDbLocal());
                createTable(aws, "drain");
                yield new DynamoDbDestination(aws, new DynamoDbConfig("drain", null, null, null, null, null));
            }
            case IOTCORE -> iotCore(dir);
        };
    }

    private IotCoreDestination iotCore(Path dir) throws Exception {
        StandIns.Mosquitto broker = mosquitto();
        IotCoreConfig config = new IotCoreConfig("localhost", broker.port(), null, broker.gateway().certificate(),
                broker.gateway().privateKey(), broker.caCert(), "tidegate-drain", connections, null, null, null, null,
                null, null, null, null);
        IotCoreDestination destination = new IotCoreDestination("iotcore", config, DownstreamSink.NONE);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (destination.connectedCount() < connections) {
            if (System.nanoTime() - deadline > 0) {
                destination.close();
                throw new IllegalStateException(destination.connectedCount() + " of " + connections
                        + " IoT Core connections up after 30 s; see " + workDir.resolve("mosquitto/mosquitto.log"));
            }
            Thread.sleep(20);
        }
        return destination;
    }

    /**
     * Appends {@code --ingest-rate} messages per second (in 10 ms slices, catching up when late) on
     * a thread of its own, as the persist stage does while devices keep publishing.
     */
    private Thread startIngest(Outbox outbox, AtomicBoolean running, LongAdder ingested) {
        byte[] payload = ("{\"deviceId\":\"live\",\"temperature\":21.5,\"pad\":\""
                + "x".repeat(PAYLOAD_BYTES - 47) + "\"}").getBytes(StandardCharsets.US_ASCII);
        Thread thread = new Thread(() -> {
            try (OutboxAppender appender = outbox.newAppender()) {
                long begin = System.nanoTime();
                long appended = 0;
                while (running.get()) {
                    long due = (System.nanoTime() - begin) * ingestRate / 1_000_000_000L;
                    long before = appended;
                    for (; appended < due; appended++) {
                        appender.append(1, appended, System.currentTimeMillis(), "live-" + appended % devices,
                                "dt/live/telemetry", 1, false, MessageProperties.NONE, payload, payload.length);
                    }
                    ingested.add(appended - before);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
            }
        }, "ingest");
        thread.start();
        return thread;
    }

    private void awaitDrained(Forwarder forwarder, Outbox outbox, long backlogEnd, long start)
            throws InterruptedException {
        long deadline = start + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (outbox.storedPosition(Forwarder.READER_NAME) < backlogEnd) {
            if ("failed".equals(forwarder.status().state())) {
                throw new IllegalStateException(forwarder.name() + " failed: " + forwarder.status().lastError());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(forwarder.name() + ": " + outbox.stats().backlogEntries()
                        + " entries left after " + timeoutSeconds + " s; last error: " + forwarder.status().lastError());
            }
            Thread.sleep(2);
        }
    }

    private static double counter(MeterRegistry registry, String name, Target target) {
        Counter counter = registry.find(name).tag("destination", target.label).counter();
        return counter == null ? 0 : counter.count();
    }

    private static AwsConfig aws(StandIns.Service service) {
        return new AwsConfig(REGION, service.endpoint(), AwsConfig.Credentials.STATIC, "local", "local");
    }

    private void createStream(AwsConfig aws, String stream) throws InterruptedException {
        try (KinesisClient kinesis = AwsClientSettings.apply(KinesisClient.builder(), aws).build()) {
            kinesis.createStream(b -> b.streamName(stream).shardCount(shards));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (kinesis.describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamStatus()
                    != StreamStatus.ACTIVE) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("stream " + stream + " not ACTIVE after 30 s");
                }
                Thread.sleep(50);
            }
        }
    }

    /** The key schema the DynamoDB destination writes: partition key pk, sort key sk (ingest time + message id). */
    private static void createTable(AwsConfig aws, String table) {
        try (DynamoDbClient dynamo = AwsClientSettings.apply(DynamoDbClient.builder(), aws).build()) {
            dynamo.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                            a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH),
                            k -> k.attributeName("sk").keyType(KeyType.RANGE)));
        }
    }

    private StandIns.Service kinesalite() {
        if (kinesalite == null) {
            kinesalite = StandIns.kinesalite(kinesaliteCli, kinesaliteCli.getParent().getParent().getParent()
                    .resolve("kinesalite.log"));
        }
        return kinesalite;
    }

    private StandIns.Service dynamoDbLocal() {
        if (dynamoDbLocal == null) {
            dynamoDbLocal = StandIns.dynamoDbLocal();
        }
        return dynamoDbLocal;
    }

    private StandIns.Mosquitto mosquitto() {
        if (mosquitto == null) {
            mosquitto = StandIns.mosquitto(workDir.resolve("mosquitto"));
        }
        return mosquitto;
    }

    private void closeStandIns() {
        for (AutoCloseable standIn : new AutoCloseable[] {kinesalite, dynamoDbLocal, mosquitto}) {
            if (standIn != null) {
                try {
                    standIn.close();
                } catch (Exception e) {
                    System.err.println("stopping a stand-in failed: " + e);
                }
            }
        }
    }
}
