package io.tidegate.loadgen.verify;

import io.tidegate.loadgen.cli.LoadgenCliAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FileSinkVerifyTest {

    @TempDir
    Path sink;

    private static String line(String device, long seq) {
        return "{\"id\":\"x\",\"ts\":\"2026-11-23T15:40:21.491Z\",\"clientId\":\"" + device + "\",\"topic\":\"dt/" + device
                + "/telemetry\",\"qos\":1,\"payload\":{\"device\":\"" + device + "\",\"seq\":" + seq + ",\"sentAtUs\":1}}";
    }

    private static String base64Line(String device, long seq) {
        String payload = "{\"device\":\"" + device + "\",\"seq\":" + seq + "}";
        return "{\"id\":\"y\",\"clientId\":\"" + device + "\",\"topic\":\"t\",\"qos\":1,\"payloadBase64\":\""
                + Base64.getEncoder().encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "\"}";
    }

    private void write(String file, List<String> lines) throws IOException {
        Files.write(sink.resolve(file), lines);
    }

    private VerifyResult verify(Expectation expectation) throws IOException {
        SequenceLedger ledger = new SequenceLedger();
        new FileSinkSource(sink).readInto(ledger);
        return VerifyResult.evaluate("file:" + sink, ledger, expectation);
    }

    @Test
    void completeDeliveryAcrossFilesPasses() throws IOException {
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        for (int seq = 1; seq <= 100; seq++) {
            (seq <= 60 ? first : second).add(line("device-1", seq));
            (seq <= 60 ? first : second).add(line("device-2", seq));
        }
        write("tidegate-20261123T150000Z.ndjson", first);
        write("tidegate-20261123T160000Z.ndjson", second);

        VerifyResult result = verify(new Expectation(2, "device", 1, 100));

        assertThat(result.passed()).isTrue();
        assertThat(result.records()).isEqualTo(200);
        assertThat(result.expectedMessages()).isEqualTo(200);
        assertThat(result.problems()).isEmpty();
    }

    @Test
    void reportsMissingRangesAndDuplicatesPerDevice() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int seq = 1; seq <= 20; seq++) {
            if (seq < 5 || seq > 7) {
                lines.add(line("device-1", seq));
            }
        }
        lines.add(line("device-1", 3));
        lines.add(base64Line("device-2", 1));
        lines.add(base64Line("device-2", 2));
        lines.add("{\"clientId\":\"other\",\"payload\":{\"temperature\":1}}");
        lines.add("{not json");
        write("tidegate-1.ndjson", lines);

        VerifyResult result = verify(new Expectation(3, "device", 1, 20));

        assertThat(result.passed()).isFalse();
        assertThat(result.unsequenced()).isEqualTo(2);
        assertThat(result.duplicates()).isEqualTo(1);
        assertThat(result.problems()).extracting(VerifyResult.DeviceProblem::device)
                .containsExactly("device-1", "device-2", "device-3");
        VerifyResult.DeviceProblem first = result.problems().get(0);
        assertThat(first.missing()).isEqualTo(3);
        assertThat(first.missingRanges()).containsExactly("5-7");
        assertThat(first.duplicateExamples()).containsExactly(3L);
        assertThat(result.problems().get(1).missingRanges()).containsExactly("3-20");
        assertThat(result.problems().get(2).missing()).isEqualTo(20);
        assertThat(result.missing()).isEqualTo(3 + 18 + 20);
        assertThat(VerifyReport.text(result, 20)).contains("device-1: received 18, highest seq 20, missing 3 [5-7], duplicated 1 (e.g. [3])")
                .contains("FAIL");
    }

    @Test
    void withoutExpectationsGapsUpToTheHighestSeqAreMissing() throws IOException {
        write("a.ndjson", List.of(line("device-9", 1), line("device-9", 4)));

        VerifyResult result = verify(Expectation.none());

        assertThat(result.missing()).isEqualTo(2);
        assertThat(result.problems().get(0).missingRanges()).containsExactly("2-3");
    }

    @Test
    void duplicatesAloneStillPass() throws IOException {
        write("a.ndjson", List.of(line("device-1", 1), line("device-1", 1), line("device-1", 2)));

        VerifyResult result = verify(new Expectation(1, "device", 1, 2));

        assertThat(result.passed()).isTrue();
        assertThat(result.duplicates()).isEqualTo(1);
    }

    @Test
    void theCommandExitsZeroOnlyWhenNothingIsMissing() throws IOException {
        write("a.ndjson", List.of(line("device-1", 1), line("device-1", 2)));

        assertThat(LoadgenCliAccess.execute("verify", "--source", "file:" + sink, "--expect-devices", "1",
                "--expect-messages", "2")).isZero();
        assertThat(LoadgenCliAccess.execute("verify", "--source", "file:" + sink, "--expect-devices", "1",
                "--expect-messages", "3")).isEqualTo(1);
        assertThat(LoadgenCliAccess.execute("verify", "--source", "file:" + sink.resolve("absent"))).isEqualTo(2);
        assertThat(LoadgenCliAccess.execute("verify", "--source", "s3:bucket")).isEqualTo(2);
    }

    @Test
    void deviceIdsSortNumerically() {
        List<String> ids = new ArrayList<>(List.of("device-10", "device-2", "device-1", "truck-1"));
        ids.sort(DeviceIds.NATURAL_ORDER);

        assertThat(ids).containsExactly("device-1", "device-2", "device-10", "truck-1");
    }
}
