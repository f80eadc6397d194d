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
 * aggregated record per group and call, up to the target size (the rest of that group's messages
 * are deferred to the next call). A group is a partition key, or with {@code buckets} a slice of
 * the hash key space ({@link HashBuckets}), which packs many devices into one record. A call
 * carries at most 500 records: messages of further groups are deferred too. Messages whose
 * partition key Kinesis refuses (empty, or over 256 characters) are rejected in the {@link WriteResult}.
 */
final class RecordPacker {

    static final int MAX_PARTITION_KEY_CHARS = 256;
    static final int MAX_RECORDS_PER_CALL = 500;

    private final MessageKey keys;
    private final boolean aggregate;
    private final int targetBytes;
    /** Null: aggregate by partition key. */
    private final HashBuckets buckets;

    RecordPacker(MessageKey keys, boolean aggregate, int targetBytes) {
        this(keys, aggregate, targetBytes, 0);
    }

    /** @param buckets slices of the hash key space to aggregate by; 0 aggregates by partition key */
    RecordPacker(MessageKey keys, boolean aggregate, int targetBytes, int buckets) {
        this.keys = keys;
        this.aggregate = aggregate;
        this.targetBytes = targetBytes;
        this.buckets = buckets > 0 ? new HashBuckets(buckets) : null;
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
        // The record's own key, the key table entry, the message, and with buckets the explicit hash
        // key (≤ 39 digits) in the request, in the record's table, and as each message's index.
        return (long) AggregatedRecord.overheadFor(keyBytes) + AggregatedRecord.growthFor(entry.payload().length)
                + keyBytes + (buckets == null ? 0 : 2 * (2 + 39) + 2);
    }

    List<PackedRecord> pack(List<OutboxEntry> batch, WriteResult result) {
        return aggregate ? aggregated(batch, result) : single(batch, result);
    }

    private List<PackedRecord> single(List<OutboxEntry> batch, WriteResult result) {
        List<PackedRecord> records = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            String key = validKey(batch.get(i), i, result);
            if (key != null) {
                records.add(new PackedRecord(key, null, batch.get(i).payload(), new int[] {i}));
            }
        }
        return records;
    }

    /**
     * Groups in order of appearance: one aggregated record per group and call. A group's messages
     * beyond what fits in {@code targetBytes} are deferred to the next call instead of going into a
     * second record of the same call: if the first record failed while the second succeeded, the
     * retry would land after it and break the device's order. Past 500 groups, a new group's
     * messages are deferred whole.
     */
    private List<PackedRecord> aggregated(List<OutboxEntry> batch, WriteResult result) {
        Map<Object, Group> groups = new LinkedHashMap<>();
        Set<Object> full = new HashSet<>();
        for (int i = 0; i < batch.size(); i++) {
            String key = validKey(batch.get(i), i, result);
            if (key == null) {
                continue;
            }
            Object groupKey = buckets == null ? key : Integer.valueOf(buckets.of(key));
            byte[] payload = batch.get(i).payload();
            if (full.contains(groupKey)) {
                result.defer(i);
                continue;
            }
            Group group = groups.get(groupKey);
            if (group == null) {
                if (groups.size() == MAX_RECORDS_PER_CALL) {
                    full.add(groupKey);
                    result.defer(i);
                    continue;
                }
                group = new Group(new AggregatedRecord(buckets == null ? null : buckets.hashKey((Integer) groupKey)));
                groups.put(groupKey, group);
            }
            if (group.record.count() > 0 && group.record.sizeWith(key, payload.length) > targetBytes) {
                full.add(groupKey);
                result.defer(i);
                continue;
            }
            group.add(key, payload, i);
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

        void add(String key, byte[] payload, int position) {
            record.add(key, payload);
            positions.add(position);
        }

        PackedRecord close() {
            return new PackedRecord(record.partitionKey(), record.explicitHashKey(), record.encode(),
                    positions.stream().mapToInt(Integer::intValue).toArray());
        }
    }
}
