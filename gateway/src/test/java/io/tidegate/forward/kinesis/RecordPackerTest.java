package io.tidegate.forward.kinesis;

import io.tidegate.forward.WriteResult;
import io.tidegate.forward.aws.MessageKey;
import io.tidegate.outbox.MessageProperties;
import io.tidegate.outbox.OutboxEntry;
import org.junit.jupiter.api.Test;
import software.amazon.kinesis.retrieval.AggregatorUtil;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Aggregated records are checked with the Kinesis Client Library's own de-aggregation, not ours. */
class RecordPackerTest {

    @Test
    void aggregatedRecordsAreDeAggregatedByTheKclIntoTheOriginalMessagesInOrder() {
        List<OutboxEntry> batch = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            batch.add(entry(i, "device-" + (i % 3), "message " + i + " " + "x".repeat(i % 50)));
        }
        RecordPacker packer = new RecordPacker(MessageKey.of("clientid"), true, 4096);

        // As the forwarder does: what a call defers goes into the next call, in order.
        List<PackedRecord> records = new ArrayList<>();
        List<OutboxEntry> remaining = batch;
        int calls = 0;
        while (!remaining.isEmpty()) {
            WriteResult result = WriteResult.accepted(remaining.size());
            List<PackedRecord> call = packer.pack(remaining, result);
            assertThat(call).extracting(PackedRecord::partitionKey).as("one record per key and call").doesNotHaveDuplicates();
            for (PackedRecord record : call) {
                int[] positions = record.positions();
                int[] original = new int[positions.length];
                for (int p = 0; p < positions.length; p++) {
                    original[p] = (int) remaining.get(positions[p]).index();
                }
                records.add(new PackedRecord(record.partitionKey(), record.explicitHashKey(), record.data(), original));
            }
            List<OutboxEntry> deferred = new ArrayList<>();
            for (int i = 0; i < remaining.size(); i++) {
                if (result.outcome(i) == WriteResult.Outcome.DEFERRED) {
                    deferred.add(remaining.get(i));
                } else {
                    assertThat(result.outcome(i)).isEqualTo(WriteResult.Outcome.ACCEPTED);
                }
            }
            remaining = deferred;
            calls++;
        }

        assertThat(calls).as("a device's messages beyond 4 KiB wait for the next call").isGreaterThan(1);
        assertThat(records).allSatisfy(r -> assertThat(r.data().length).isLessThanOrEqualTo(4096));
        assertThat(records).allSatisfy(r -> assertThat(r.data()).startsWith(AggregatedRecord.MAGIC));
        List<KinesisClientRecord> messages = new AggregatorUtil().deaggregate(asKcl(records));
        assertThat(messages).hasSize(300).allMatch(KinesisClientRecord::aggregated);
        for (String device : List.of("device-0", "device-1", "device-2")) {
            List<String> expected = batch.stream().filter(e -> e.clientId().equals(device))
                    .map(e -> new String(e.payload(), StandardCharsets.UTF_8)).toList();
            List<String> got = messages.stream().filter(m -> m.partitionKey().equals(device))
                    .map(m -> StandardCharsets.UTF_8.decode(m.data()).toString()).toList();
            assertThat(got).containsExactlyElementsOf(expected);
        }
        int positions = records.stream().mapToInt(r -> r.positions().length).sum();
        assertThat(positions).isEqualTo(300);
    }

    @Test
    void aggregatingByHashSlicePacksManyDevicesPerRecordAndTheKclKeepsEveryMessageOnItsShard() {
        int shards = 4;
        List<OutboxEntry> batch = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            batch.add(entry(i, "device-" + (i % 1000), "{\"seq\":" + (i / 1000) + ",\"v\":" + i + "}"));
        }
        RecordPacker packer = new RecordPacker(MessageKey.of("clientid"), true, 51_200, shards);

        WriteResult result = WriteResult.accepted(batch.size());
        List<PackedRecord> records = packer.pack(batch, result);

        assertThat(records).hasSize(shards);
        assertThat(records).allSatisfy(r -> assertThat(r.data().length).isLessThanOrEqualTo(51_200));
        int packed = records.stream().mapToInt(r -> r.positions().length).sum();
        assertThat(packed / records.size()).as("messages per record").isGreaterThanOrEqualTo(100);
        // What the KCL does when reading shard s: keep only messages whose hash key is in s's range.
        BigInteger space = BigInteger.ONE.shiftLeft(128);
        List<KinesisClientRecord> read = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            BigInteger start = space.multiply(BigInteger.valueOf(s)).divide(BigInteger.valueOf(shards));
            BigInteger end = space.multiply(BigInteger.valueOf(s + 1)).divide(BigInteger.valueOf(shards))
                    .subtract(BigInteger.ONE);
            List<PackedRecord> onShard = records.stream().filter(r -> {
                BigInteger hash = new BigInteger(r.explicitHashKey());
                return hash.compareTo(start) >= 0 && hash.compareTo(end) <= 0;
            }).toList();
            assertThat(onShard).as("shard %d gets its slice's record", s).hasSize(1);
            read.addAll(new AggregatorUtil().deaggregate(asKcl(onShard), start.toString(), end.toString()));
        }
        assertThat(read).as("none dropped by the KCL's shard filter").hasSize(packed);
        for (int i = 0; i < read.size(); i++) {
            assertThat(read.get(i).explicitHashKey()).isNotNull();
        }
        for (int d = 0; d < 1000; d += 97) {
            String device = "device-" + d;
            List<String> got = read.stream().filter(m -> m.partitionKey().equals(device))
                    .map(m -> StandardCharsets.UTF_8.decode(m.data()).toString()).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                if (batch.get(i).clientId().equals(device) && result.outcome(i) == WriteResult.Outcome.ACCEPTED) {
                    expected.add(new String(batch.get(i).payload(), StandardCharsets.UTF_8));
                }
            }
            assertThat(got).as(device).containsExactlyElementsOf(expected);
        }
        assertThat(packed + deferred(result)).isEqualTo(batch.size());
    }

    @Test
    void aCallNeverCarriesMoreThan500Records() {
        List<OutboxEntry> batch = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
            batch.add(entry(i, "device-" + i, "m"));
        }
        WriteResult result = WriteResult.accepted(batch.size());

        List<PackedRecord> records = new RecordPacker(MessageKey.of("clientid"), true, 51_200).pack(batch, result);

        assertThat(records).hasSize(500);
        assertThat(deferred(result)).isEqualTo(200);
        assertThat(result.outcome(499)).isEqualTo(WriteResult.Outcome.ACCEPTED);
        assertThat(result.outcome(500)).isEqualTo(WriteResult.Outcome.DEFERRED);
    }

    @Test
    void theSizeEstimateIsNeverBelowTheRecordOfOneMessage() {
        RecordPacker packer = new RecordPacker(MessageKey.of("clientid"), true, 51_200);
        RecordPacker bySlice = new RecordPacker(MessageKey.of("clientid"), true, 51_200, 7);
        for (int size : new int[] {0, 1, 127, 128, 16_383, 16_384, 1_000_000}) {
            OutboxEntry entry = entry(0, "device-with-a-longer-name", "y".repeat(size));
            PackedRecord record = packer.pack(List.of(entry), WriteResult.accepted(1)).get(0);
            assertThat(packer.sizeOf(entry)).as("payload %d", size)
                    .isGreaterThanOrEqualTo(record.data().length + record.partitionKey().length());
            PackedRecord sliced = bySlice.pack(List.of(entry), WriteResult.accepted(1)).get(0);
            assertThat(bySlice.sizeOf(entry)).as("payload %d by slice", size).isGreaterThanOrEqualTo(
                    sliced.data().length + sliced.partitionKey().length() + sliced.explicitHashKey().length());
        }
    }

    @Test
    void singleRecordsCarryTheirPayloadAndABadKeyIsRejected() {
        List<OutboxEntry> batch = List.of(entry(0, "a", "one"), entry(1, "x".repeat(257), "two"), entry(2, "", "three"));
        WriteResult result = WriteResult.accepted(3);

        List<PackedRecord> records = new RecordPacker(MessageKey.of("clientid"), false, 0).pack(batch, result);

        assertThat(records).hasSize(1);
        assertThat(records.get(0).data()).isEqualTo("one".getBytes(StandardCharsets.UTF_8));
        assertThat(result.outcome(1)).isEqualTo(WriteResult.Outcome.REJECTED);
        assertThat(result.reason(1)).contains("257 characters");
        assertThat(result.outcome(2)).isEqualTo(WriteResult.Outcome.REJECTED);
    }

    @Test
    void aTopicOrLiteralCanBeTheKey() {
        OutboxEntry entry = entry(0, "dev", "p");
        assertThat(MessageKey.of("topic").of(entry)).isEqualTo("dt/dev/t");
        assertThat(MessageKey.of("fleet-a").of(entry)).isEqualTo("fleet-a");
    }

    private static int deferred(WriteResult result) {
        int deferred = 0;
        for (int i = 0; i < result.size(); i++) {
            deferred += result.outcome(i) == WriteResult.Outcome.DEFERRED ? 1 : 0;
        }
        return deferred;
    }

    private static List<KinesisClientRecord> asKcl(List<PackedRecord> records) {
        List<KinesisClientRecord> kcl = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            kcl.add(KinesisClientRecord.builder().data(ByteBuffer.wrap(records.get(i).data()))
                    .partitionKey(records.get(i).partitionKey()).explicitHashKey(records.get(i).explicitHashKey())
                    .sequenceNumber(Integer.toString(i))
                    .approximateArrivalTimestamp(Instant.now()).build());
        }
        return kcl;
    }

    static OutboxEntry entry(int i, String clientId, String payload) {
        return new OutboxEntry(i, new UUID(0, i), 1_700_000_000_000L + i, clientId, "dt/" + clientId + "/t", 1, false,
                MessageProperties.NONE, payload.getBytes(StandardCharsets.UTF_8), 0);
    }
}
