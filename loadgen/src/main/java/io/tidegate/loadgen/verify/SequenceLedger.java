package io.tidegate.loadgen.verify;

import java.util.BitSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which sequence numbers arrived, per device: a bit set each (about one bit per message) and a
 * duplicate count with the first few duplicated numbers as examples. Not thread-safe: sources
 * feed it from one thread.
 */
public final class SequenceLedger {

    static final int DUPLICATE_EXAMPLES = 10;

    /** What arrived from one device. */
    static final class DeviceSequences {
        final BitSet seen = new BitSet();
        long received;
        long duplicates;
        final long[] duplicateExamples = new long[DUPLICATE_EXAMPLES];

        void add(int seq) {
            received++;
            if (seen.get(seq)) {
                if (duplicates < DUPLICATE_EXAMPLES) {
                    duplicateExamples[(int) duplicates] = seq;
                }
                duplicates++;
            } else {
                seen.set(seq);
            }
        }

        int maxSeq() {
            return seen.length() - 1;
        }
    }

    private final Map<String, DeviceSequences> devices = new TreeMap<>(DeviceIds.NATURAL_ORDER);
    private long records;
    private long unsequenced;

    /** One delivered message. Sequence numbers start at 1; anything else is out of range and not counted as a sequence. */
    public void record(String device, long seq) {
        records++;
        if (device == null || seq < 1 || seq > Integer.MAX_VALUE - 1) {
            unsequenced++;
            return;
        }
        devices.computeIfAbsent(device, d -> new DeviceSequences()).add((int) seq);
    }

    /** A record without a device or sequence number (not written by the load generator's template). */
    public void recordUnsequenced() {
        records++;
        unsequenced++;
    }

    public long records() {
        return records;
    }

    public long unsequenced() {
        return unsequenced;
    }

    Map<String, DeviceSequences> devices() {
        return devices;
    }
}
