package io.tidegate.loadgen.verify;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The verdict on a destination: per device, sequence numbers missing (with ranges) and duplicated.
 * Passes when nothing is missing; duplicates are reported but allowed, since delivery is
 * at-least-once.
 */
public record VerifyResult(String source, long records, long unsequenced, int devices, long expectedMessages,
                           long missing, long duplicates, List<DeviceProblem> problems) {

    /** One device with something missing or duplicated. {@code missingRanges} is truncated for display. */
    public record DeviceProblem(String device, long received, long highestSeq, long missing, List<String> missingRanges,
                                long duplicates, List<Long> duplicateExamples) {
    }

    /** Ranges listed per device before "…". */
    static final int MAX_RANGES = 10;

    public boolean passed() {
        return missing == 0;
    }

    public static VerifyResult evaluate(String source, SequenceLedger ledger, Expectation expectation) {
        Set<String> devices = new LinkedHashSet<>(expectation.deviceIds());
        devices.addAll(ledger.devices().keySet());
        List<DeviceProblem> problems = new ArrayList<>();
        long missingTotal = 0;
        long duplicateTotal = 0;
        long expectedTotal = 0;
        List<String> ordered = new ArrayList<>(devices);
        ordered.sort(DeviceIds.NATURAL_ORDER);
        for (String device : ordered) {
            SequenceLedger.DeviceSequences seqs = ledger.devices().get(device);
            long highest = seqs == null ? 0 : seqs.maxSeq();
            long expected = Math.max(highest, expectation.messagesPerDevice());
            long received = seqs == null ? 0 : seqs.received;
            long distinct = seqs == null ? 0 : seqs.seen.cardinality();
            long missing = expected - distinct;
            long duplicates = seqs == null ? 0 : seqs.duplicates;
            expectedTotal += expected;
            missingTotal += missing;
            duplicateTotal += duplicates;
            if (missing > 0 || duplicates > 0) {
                List<Long> examples = new ArrayList<>();
                for (int i = 0; seqs != null && i < Math.min(duplicates, SequenceLedger.DUPLICATE_EXAMPLES); i++) {
                    examples.add(seqs.duplicateExamples[i]);
                }
                problems.add(new DeviceProblem(device, received, highest, missing,
                        missingRanges(seqs, expected), duplicates, examples));
            }
        }
        return new VerifyResult(source, ledger.records(), ledger.unsequenced(), devices.size(), expectedTotal,
                missingTotal, duplicateTotal, problems);
    }

    private static List<String> missingRanges(SequenceLedger.DeviceSequences seqs, long expected) {
        List<String> ranges = new ArrayList<>();
        long from = 1;
        while (from <= expected) {
            long start = seqs == null ? from : seqs.seen.nextClearBit((int) from);
            if (start > expected) {
                break;
            }
            long end = seqs == null ? expected : Math.min(expected, seqs.seen.nextSetBit((int) start) < 0
                    ? expected : seqs.seen.nextSetBit((int) start) - 1);
            if (ranges.size() == MAX_RANGES) {
                ranges.add("…");
                break;
            }
            ranges.add(start == end ? Long.toString(start) : start + "-" + end);
            from = end + 1;
        }
        return ranges;
    }
}
