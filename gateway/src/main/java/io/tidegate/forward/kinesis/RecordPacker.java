package io.tidegate.forward.kinesis;

import io.tidegate.forward.WriteResult;
import io.tidegate.forward.aws.MessageKey;
import io.tidegate.outbox.OutboxEntry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a batch into Kinesis records: one record per message, or, with aggregation, one KPL
 * aggregated record per partition key and call, up to the target size (the rest of that key's
 * messages are deferred to the next call). Messages whose partition key
 * Kinesis refuses (empty, or over 256 characters) are rejected in the {@link WriteResult}.
 */
final class RecordPacker {

    static final int MAX_PARTITION_KEY_CHARS = 256;

    private final MessageKey keys;
    private final boolean aggregate;
    private final int targetBytes;

    RecordPacker(MessageKey keys, boolean aggregate, int targetBytes) {
        this.keys = keys;
        this.aggregate = aggregate;
        this.targetBytes = targetBytes;
    }

    boolean aggregates() {
        return aggregate;
    }

    /** The bytes {@code entry} adds to a PutRecords call at most (data and partition key). */
    long sizeOf(OutboxEntry entry) {
        int keyBytes = keys.of(entry).getBytes(StandardCharsets.UTF_8).length;
        if (!aggregate) {
            return (long) entry.payload().length + keyBytes;
        }
        return (long) AggregatedRecord.overheadFor(keyBytes) + AggregatedRecord.growthFor(entry.payload().length)
                + keyBytes;
    }

    List<PackedRecord> pack(List<OutboxEntry> batch, WriteResult result) {
        return aggregate ? aggregated(batch, result) : single(batch, result);
    }

    private List<PackedRecord> single(List<OutboxEntry> batch, WriteResult result) {
        List<PackedRecord> records = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            String key = validKey(batch.get(i), i, result);
            if (key != null) {
                records.add(new PackedRecord(key, batch.get(i).payload(), new int[] {i}));
            }
        }
        return records;
    }

    /**
     * Groups by partition key in order of appearance: one aggregated record per key and call. A
     * key's messages beyond what fits in {@code targetBytes} are deferred to the next call instead
     * of going into a second record of the same call: if the first record failed while the second
     * succeeded, the retry would land after it and break the device's order.
     */
    private List<PackedRecord> aggregated(List<OutboxEntry> batch, WriteResult result) {
        Map<String, Group> groups = new LinkedHashMap<>();
        Set<String> full = new HashSet<>();
        for (int i = 0; i < batch.size(); i++) {
            String key = validKey(batch.get(i), i, result);
            if (key == null) {
                continue;
            }
            byte[] payload = batch.get(i).payload();
            if (full.contains(key)) {
                result.defer(i);
                continue;
            }
            Group group = groups.computeIfAbsent(key, k -> new Group(new AggregatedRecord(k)));
            if (group.record.count() > 0 && group.record.sizeWith(payload.length) > targetBytes) {
                full.add(key);
                result.defer(i);
                continue;
            }
            group.add(payload, i);
        }
        List<PackedRecord> records = new ArrayList<>(groups.size());
        groups.values().forEach(group -> records.add(group.close()));
        return records;
    }

    private String validKey(OutboxEntry entry, int position, WriteResult result) {
        String key = keys.of(entry);
        int chars = key.codePointCount(0, key.length());
        if (chars == 0 || chars > MAX_PARTITION_KEY_CHARS) {
            result.reject(position, "partition key of " + chars + " characters; Kinesis allows 1 to "
                    + MAX_PARTITION_KEY_CHARS);
            return null;
        }
        return key;
    }

    private static final class Group {
        final AggregatedRecord record;
        final List<Integer> positions = new ArrayList<>();

        Group(AggregatedRecord record) {
            this.record = record;
        }

        void add(byte[] payload, int position) {
            record.add(payload);
            positions.add(position);
        }

        PackedRecord close() {
            return new PackedRecord(record.partitionKey(), record.encode(),
                    positions.stream().mapToInt(Integer::intValue).toArray());
        }
    }
}
