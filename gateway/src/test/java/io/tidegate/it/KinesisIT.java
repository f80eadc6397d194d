package io.tidegate.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.kinesis.retrieval.AggregatorUtil;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kinesis destination end to end: devices publish over MQTT to a real gateway, which forwards
 * to kinesalite; everything is read back with GetRecords over all shards and de-aggregated by the
 * Kinesis Client Library's own {@link AggregatorUtil}. Faults kinesalite never produces come from
 * a {@link FaultProxy}.
 */
@ExtendWith(LocalServices.class)
class KinesisIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEVICES = 20;
    private static final int MESSAGES = 1000;

    @TempDir
    Path dir;

    @RegisterExtension
    final Cleanup toClose = new Cleanup();

    @Test
    void twentyDevicesThousandMessagesEachArriveCompleteAndInOrderPerDevice(Kinesalite kinesalite) throws Exception {
        KinesisClient kinesis = client(kinesalite.endpoint());
        createStream(kinesis, "plain", 4);
        TestGateway gateway = gateway(kinesalite.endpoint(), "plain", false);

        Fleet.publish(gateway.mqttPort(), "car", DEVICES, MESSAGES);
        AwsIt.awaitForwarded(gateway.gateway(), "stream", (long) DEVICES * MESSAGES);

        List<KinesisClientRecord> records = readAll(kinesis, "plain");
        assertThat(records).hasSize(DEVICES * MESSAGES).noneMatch(KinesisClientRecord::aggregated);
        assertEveryMessageOnceInOrder(records, "car");
        assertThat(AwsIt.counter(gateway.gateway(), "tidegate.forward.retries", "stream")).isZero();
        assertThat(gateway.gateway().registry().get("tidegate.forward.billable.units").tag("destination", "stream")
                .tag("unit", "kinesis_put_payload_units").counter().count()).isEqualTo(DEVICES * MESSAGES);
    }

    @Test
    void aRuleActionsPartitionKeyTemplateIsTheRecordsPartitionKey(Kinesalite kinesalite) throws Exception {
        KinesisClient kinesis = client(kinesalite.endpoint());
        createStream(kinesis, "keyed", 4);
        TestGateway gateway = gateway(kinesalite.endpoint(), "keyed", """
                kinesis: {stream: keyed, partitionKey: clientid}
                """, """
                rules:
                  - name: by-site
                    sql: "SELECT * FROM 'dt/+/telemetry'"
                    actions:
                      - destination: stream
                        settings:
                          partitionKey: "site-${meta.fw}"
                """);

        Fleet.publish(gateway.mqttPort(), "car", 4, 50);
        AwsIt.awaitForwarded(gateway.gateway(), "stream", 200);

        Map<String, List<Integer>> seqByDevice = new LinkedHashMap<>();
        int shardsWithRecords = 0;
        for (Shard shard : kinesis.listShards(b -> b.streamName("keyed")).shards()) {
            List<KinesisClientRecord> records = readShard(kinesis, "keyed", shard);
            shardsWithRecords += records.isEmpty() ? 0 : 1;
            for (KinesisClientRecord record : records) {
                assertThat(record.partitionKey()).as("the rendered key, not the client id").isEqualTo("site-1.2.3");
                JsonNode message = FaultProxy.readJson(StandardCharsets.UTF_8.decode(record.data().duplicate())
                        .toString().getBytes(StandardCharsets.UTF_8));
                seqByDevice.computeIfAbsent(message.get("device").asText(), d -> new ArrayList<>())
                        .add(message.get("seq").asInt());
            }
        }
        assertThat(shardsWithRecords).as("one key, one shard").isEqualTo(1);
        assertThat(seqByDevice).hasSize(4);
        seqByDevice.forEach((device, seqs) -> assertThat(seqs).as(device)
                .containsExactlyElementsOf(IntStream.range(0, 50).boxed().toList()));
    }

    @Test
    void aggregatedRecordsAreReadByTheKclAndKeepEachDevicesOrder(Kinesalite kinesalite) throws Exception {
        KinesisClient kinesis = client(kinesalite.endpoint());
        createStream(kinesis, "aggregated", 4);
        TestGateway gateway = gateway(kinesalite.endpoint(), "aggregated", true);

        Fleet.publish(gateway.mqttPort(), "bus", DEVICES, MESSAGES);
        AwsIt.awaitForwarded(gateway.gateway(), "stream", (long) DEVICES * MESSAGES);

        List<KinesisClientRecord> raw = readRaw(kinesis, "aggregated");
        assertThat(raw.size()).as("aggregated records on the stream").isLessThan(DEVICES * MESSAGES / 10);
        long putPayloadUnits = raw.stream().mapToLong(r -> (r.data().remaining() + 25 * 1024 - 1) / (25 * 1024)).sum();
        List<KinesisClientRecord> records = readAll(kinesis, "aggregated");
        assertThat(records).hasSize(DEVICES * MESSAGES).allMatch(KinesisClientRecord::aggregated);
        assertEveryMessageOnceInOrder(records, "bus");
        assertThat(AwsIt.counter(gateway.gateway(), "tidegate.forward.billable.units", "stream"))
                .isEqualTo(putPayloadUnits).isLessThan(DEVICES * MESSAGES / 10);
    }

    @Test
    void aggregatingByHashSlicePacksManyDevicesPerRecordAndTheKclReadsThemAllInOrder(Kinesalite kinesalite)
            throws Exception {
        KinesisClient kinesis = client(kinesalite.endpoint());
        createStream(kinesis, "sliced", 4);
        TestGateway gateway = gateway(kinesalite.endpoint(), "sliced", """
                kinesis: {stream: sliced, aggregation: true, aggregationBuckets: 4}
                batch: {maxRecords: 10000, lingerMs: 100}
                """);

        Fleet.publish(gateway.mqttPort(), "tram", DEVICES, MESSAGES);
        AwsIt.awaitForwarded(gateway.gateway(), "stream", (long) DEVICES * MESSAGES);

        List<KinesisClientRecord> raw = readRaw(kinesis, "sliced");
        assertThat(raw).allSatisfy(r -> assertThat(r.data().remaining()).isLessThanOrEqualTo(51_200));
        assertThat((double) DEVICES * MESSAGES / raw.size()).as("messages per Kinesis record").isGreaterThanOrEqualTo(100);
        List<KinesisClientRecord> records = readAll(kinesis, "sliced");
        assertThat(records).hasSize(DEVICES * MESSAGES);
        assertEveryMessageOnceInOrder(records, "tram");
    }

    @Test
    void severalCallsInFlightWithPartialFailuresLoseAndDuplicateNothing(Kinesalite kinesalite) throws Exception {
        KinesisClient kinesis = client(kinesalite.endpoint());
        createStream(kinesis, "window", 4);
        FaultProxy proxy = new FaultProxy(kinesalite.endpoint());
        toClose.add(proxy);
        AtomicInteger putCalls = new AtomicInteger();
        List<List<String>> failedPerCall = new CopyOnWriteArrayList<>();
        proxy.fault((target, body) -> {
            if (target.endsWith(".PutRecords") && putCalls.incrementAndGet() % 3 == 0) {
                return failSome((ObjectNode) FaultProxy.readJson(body), failedPerCall);
            }
            return FaultProxy.passThrough(body);
        });
        TestGateway gateway = gateway(proxy.endpoint(), "window", false, 4);

        Fleet.publish(gateway.mqttPort(), "tram", 10, 500);
        AwsIt.awaitForwarded(gateway.gateway(), "stream", 5000);

        List<KinesisClientRecord> records = readAll(kinesis, "window");
        assertThat(datasOf(records)).hasSize(5000).doesNotHaveDuplicates();
        assertThat(AwsIt.counter(gateway.gateway(), "tidegate.forward.retries", "stream"))
                .isEqualTo(failedPerCall.stream().mapToInt(List::size).sum()).isPositive();
        assertThat(AwsIt.dump(dir.resolve("tidegate.yaml"), gateway.dataDir(), "stream")).as("all committed").isEmpty();
    }

    @Test
    void partialFailuresAreRetriedExactlyAndNothingIsLostOrDuplicated(Kinesalite kinesalite) throws Exception {
        KinesisClient kinesis = client(kinesalite.endpoint());
        createStream(kinesis, "faulty", 2);
        FaultProxy proxy = new FaultProxy(kinesalite.endpoint());
        toClose.add(proxy);
        List<List<String>> calls = new CopyOnWriteArrayList<>();
        List<List<String>> failedPerCall = new CopyOnWriteArrayList<>();
        AtomicInteger putCalls = new AtomicInteger();
        proxy.fault((target, body) -> {
            if (!target.endsWith(".PutRecords")) {
                return FaultProxy.passThrough(body);
            }
            int call = putCalls.incrementAndGet();
            ObjectNode request = (ObjectNode) FaultProxy.readJson(body);
            calls.add(datas(request));
            if (call == 2) {
                failedPerCall.add(datas(request));
                return throttled();
            }
            return call <= 6 ? failSome(request, failedPerCall) : passAndRecordNone(body, failedPerCall);
        });
        TestGateway gateway = gateway(proxy.endpoint(), "faulty", false);

        Fleet.publish(gateway.mqttPort(), "van", 5, 200);
        AwsIt.awaitForwarded(gateway.gateway(), "stream", 1000);

        List<KinesisClientRecord> records = readAll(kinesis, "faulty");
        assertThat(records).hasSize(1000);
        assertThat(datasOf(records)).doesNotHaveDuplicates();
        int checked = 0;
        for (int i = 0; i < failedPerCall.size() && i + 1 < calls.size(); i++) {
            if (!failedPerCall.get(i).isEmpty()) {
                // the write after a partly failed one carries exactly the failed records, in their order
                assertThat(calls.get(i + 1)).as("call %d", i + 2).containsExactlyElementsOf(failedPerCall.get(i));
                checked++;
            }
        }
        assertThat(checked).as("partly failed calls").isGreaterThanOrEqualTo(2);
        assertThat(AwsIt.counter(gateway.gateway(), "tidegate.forward.throttles", "stream")).isPositive();
        assertThat(AwsIt.counter(gateway.gateway(), "tidegate.forward.retries", "stream"))
                .isEqualTo(failedPerCall.stream().mapToInt(List::size).sum());
    }

    @Test
    void aRecordOverOneMebibyteIsDeadLetteredAndShownByOutboxDump(Kinesalite kinesalite) throws Exception {
        KinesisClient kinesis = client(kinesalite.endpoint());
        createStream(kinesis, "limits", 1);
        TestGateway gateway = gateway(kinesalite.endpoint(), "limits", false);
        byte[] huge = new byte[1024 * 1024 + 1];

        Fleet.publishOne(gateway.mqttPort(), "truck-1", Fleet.payload("truck-1", 0));
        Fleet.publishOne(gateway.mqttPort(), "truck-1", huge);
        Fleet.publishOne(gateway.mqttPort(), "truck-1", Fleet.payload("truck-1", 2));
        AwsIt.awaitForwarded(gateway.gateway(), "stream", 3);

        assertThat(readAll(kinesis, "limits")).hasSize(2);
        assertThat(AwsIt.counter(gateway.gateway(), "tidegate.forward.rejects", "stream")).isEqualTo(1);
        List<String> dead = AwsIt.dump(dir.resolve("tidegate.yaml"), gateway.dataDir(), "deadletter/stream");
        assertThat(dead).hasSize(1);
        JsonNode line = JSON.readTree(dead.get(0));
        assertThat(line.get("clientId").asText()).isEqualTo("truck-1");
        assertThat(line.get("index").isNumber()).isTrue();
        assertThat(line.get("payloadBase64").asText()).hasSize(4 * ((huge.length + 2) / 3));
        assertThat(line.get("properties").get("userProperties").toString())
                .contains("tidegate.deadletter.reason", "exceeds the destination's limit of 1048576 bytes",
                        "tidegate.deadletter.destination", "stream");
        assertThat(AwsIt.dump(dir.resolve("tidegate.yaml"), gateway.dataDir(), "stream")).isEmpty();
        assertThat(AwsIt.dump(dir.resolve("tidegate.yaml"), gateway.dataDir(), "stream", "--from-start", "--limit", "2"))
                .hasSize(2);
    }

    // ---- fault shapes ----

    private static FaultProxy.Exchange throttled() {
        return new FaultProxy.Exchange() {
            @Override
            public byte[] forward() {
                return null;
            }

            @Override
            public FaultProxy.Response answer(int status, byte[] body) {
                return new FaultProxy.Response(400, ("{\"__type\":\"ProvisionedThroughputExceededException\","
                        + "\"message\":\"Rate exceeded for stream\"}").getBytes(StandardCharsets.UTF_8));
            }
        };
    }

    /**
     * Forwards all records but every third, then answers as Kinesis does for a partial failure:
     * {@code FailedRecordCount} and an {@code ErrorCode} in place of each held-back record.
     */
    private static FaultProxy.Exchange failSome(ObjectNode request, List<List<String>> failedPerCall) {
        ArrayNode all = (ArrayNode) request.get("Records");
        ArrayNode kept = JSON.createArrayNode();
        Set<Integer> failed = new HashSet<>();
        List<String> failedData = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (i % 3 == 1) {
                failed.add(i);
                failedData.add(all.get(i).get("Data").asText());
            } else {
                kept.add(all.get(i));
            }
        }
        failedPerCall.add(failedData);
        request.set("Records", kept);
        byte[] forward = FaultProxy.writeJson(request);
        return new FaultProxy.Exchange() {
            @Override
            public byte[] forward() {
                return forward;
            }

            @Override
            public FaultProxy.Response answer(int status, byte[] body) {
                ObjectNode response = (ObjectNode) FaultProxy.readJson(body);
                ArrayNode results = (ArrayNode) response.get("Records");
                ArrayNode merged = JSON.createArrayNode();
                int next = 0;
                for (int i = 0; i < all.size(); i++) {
                    if (failed.contains(i)) {
                        ObjectNode error = merged.addObject();
                        boolean throttle = i % 2 == 1;
                        error.put("ErrorCode", throttle ? "ProvisionedThroughputExceededException" : "InternalFailure");
                        error.put("ErrorMessage", throttle ? "Rate exceeded for shard" : "Internal service failure.");
                    } else {
                        merged.add(results.get(next++));
                    }
                }
                response.put("FailedRecordCount", failed.size());
                response.set("Records", merged);
                return new FaultProxy.Response(status, FaultProxy.writeJson(response));
            }
        };
    }

    private static FaultProxy.Exchange passAndRecordNone(byte[] body, List<List<String>> failedPerCall) {
        failedPerCall.add(List.of());
        return FaultProxy.passThrough(body);
    }

    // ---- helpers ----

    private TestGateway gateway(String endpoint, String stream, boolean aggregation) throws Exception {
        return gateway(endpoint, stream, aggregation, 1);
    }

    private TestGateway gateway(String endpoint, String stream, boolean aggregation, int maxInFlight) throws Exception {
        return gateway(endpoint, stream, """
                kinesis: {stream: %s, partitionKey: clientid, aggregation: %s}
                batch: {maxRecords: 500, lingerMs: 20, maxInFlight: %d}
                """.formatted(stream, aggregation, maxInFlight));
    }

    /** {@code settings}: the destination's kinesis and batch sections, unindented. */
    private TestGateway gateway(String endpoint, String stream, String settings) throws Exception {
        return gateway(endpoint, stream, settings, "");
    }

    /** And {@code rulesYaml} (top-level YAML) appended to the configuration. */
    private TestGateway gateway(String endpoint, String stream, String settings, String rulesYaml) throws Exception {
        Path config = AwsIt.config(dir, "stream", """
                    type: kinesis
                    aws: {region: us-east-1, endpoint: "%s", credentials: static, accessKeyId: test, secretAccessKey: test}
                %s""".formatted(endpoint, settings.indent(4)));
        Files.writeString(config, rulesYaml, StandardOpenOption.APPEND);
        TestGateway gateway = TestGateway.startWithConfig(dir.resolve("data"), config);
        toClose.add(gateway);
        return gateway;
    }

    private KinesisClient client(String endpoint) {
        System.setProperty("aws.cborEnabled", "false");
        KinesisClient client = KinesisClient.builder().region(Region.US_EAST_1).endpointOverride(URI.create(endpoint))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
        toClose.add(client);
        return client;
    }

    private static void createStream(KinesisClient kinesis, String name, int shards) throws InterruptedException {
        kinesis.createStream(b -> b.streamName(name).shardCount(shards));
        AwsIt.until("stream " + name + " active", () ->
                kinesis.describeStream(b -> b.streamName(name)).streamDescription().streamStatus() == StreamStatus.ACTIVE);
    }

    /** Every record of every shard, each shard in sequence order, de-aggregated by the KCL. */
    /**
     * Every shard's records, de-aggregated as the KCL does for a shard: a message whose hash key is
     * outside the shard's range is dropped, so one that was misrouted would be missing here.
     */
    private static List<KinesisClientRecord> readAll(KinesisClient kinesis, String stream) {
        List<KinesisClientRecord> messages = new ArrayList<>();
        for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            messages.addAll(new AggregatorUtil().deaggregate(readShard(kinesis, stream, shard),
                    shard.hashKeyRange().startingHashKey(), shard.hashKeyRange().endingHashKey()));
        }
        return messages;
    }

    private static List<KinesisClientRecord> readRaw(KinesisClient kinesis, String stream) {
        List<KinesisClientRecord> records = new ArrayList<>();
        for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            records.addAll(readShard(kinesis, stream, shard));
        }
        return records;
    }

    private static List<KinesisClientRecord> readShard(KinesisClient kinesis, String stream, Shard shard) {
        List<KinesisClientRecord> records = new ArrayList<>();
        String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        while (iterator != null) {
            String current = iterator;
            GetRecordsResponse response = kinesis.getRecords(b -> b.shardIterator(current).limit(10_000));
            response.records().forEach(r -> records.add(KinesisClientRecord.fromRecord(r)));
            iterator = response.records().isEmpty() ? null : response.nextShardIterator();
        }
        return records;
    }

    /** Each device's sequence numbers, read in stream order, are exactly 0..n-1 in order. */
    private static void assertEveryMessageOnceInOrder(List<KinesisClientRecord> records, String prefix) {
        Map<String, List<Integer>> seqByDevice = new LinkedHashMap<>();
        for (KinesisClientRecord record : records) {
            JsonNode message = FaultProxy.readJson(StandardCharsets.UTF_8.decode(record.data().duplicate()).toString()
                    .getBytes(StandardCharsets.UTF_8));
            String device = message.get("device").asText();
            assertThat(record.partitionKey()).isEqualTo(device);
            seqByDevice.computeIfAbsent(device, d -> new ArrayList<>()).add(message.get("seq").asInt());
        }
        assertThat(seqByDevice).hasSize(DEVICES);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            expected.add(i);
        }
        for (int d = 0; d < DEVICES; d++) {
            assertThat(seqByDevice.get(Fleet.clientId(prefix, d))).as("device %d", d).containsExactlyElementsOf(expected);
        }
    }

    private static List<String> datasOf(List<KinesisClientRecord> records) {
        return records.stream().map(r -> StandardCharsets.UTF_8.decode(r.data().duplicate()).toString()).toList();
    }

    private static List<String> datas(ObjectNode request) {
        List<String> datas = new ArrayList<>();
        request.get("Records").forEach(r -> datas.add(r.get("Data").asText()));
        return datas;
    }
}
