package io.tidegate.loadgen.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Writes a {@link VerifyResult} as text (stdout) or JSON. */
public final class VerifyReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private VerifyReport() {
    }

    public static String text(VerifyResult r, int maxDevicesListed) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "verify %s: %,d records, %,d devices, %,d expected messages%n",
                r.source(), r.records(), r.devices(), r.expectedMessages()));
        out.append(String.format(Locale.ROOT, "  missing    %,d%n  duplicated %,d%n  unsequenced %,d (records without device and seq)%n",
                r.missing(), r.duplicates(), r.unsequenced()));
        int listed = 0;
        for (VerifyResult.DeviceProblem p : r.problems()) {
            if (listed++ == maxDevicesListed) {
                out.append(String.format(Locale.ROOT, "  ... and %,d more devices%n", r.problems().size() - maxDevicesListed));
                break;
            }
            out.append(String.format(Locale.ROOT, "  %s: received %,d, highest seq %,d", p.device(), p.received(), p.highestSeq()));
            if (p.missing() > 0) {
                out.append(String.format(Locale.ROOT, ", missing %,d [%s]", p.missing(), String.join(", ", p.missingRanges())));
            }
            if (p.duplicates() > 0) {
                out.append(String.format(Locale.ROOT, ", duplicated %,d (e.g. %s)", p.duplicates(), p.duplicateExamples()));
            }
            out.append('\n');
        }
        out.append(r.passed() ? "PASS: nothing missing\n" : "FAIL: messages missing\n");
        return out.toString();
    }

    public static void writeJson(VerifyResult r, Path file) throws IOException {
        Files.writeString(file, JSON.writeValueAsString(r));
    }
}
