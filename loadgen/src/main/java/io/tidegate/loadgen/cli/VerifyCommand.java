package io.tidegate.loadgen.cli;

import io.tidegate.loadgen.verify.AwsClientSettings;
import io.tidegate.loadgen.verify.Expectation;
import io.tidegate.loadgen.verify.SequenceLedger;
import io.tidegate.loadgen.verify.VerifyReport;
import io.tidegate.loadgen.verify.VerifyResult;
import io.tidegate.loadgen.verify.VerifySource;
import io.tidegate.loadgen.verify.VerifySources;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code tidegate-loadgen verify}: reads what reached a destination and reports, per device, missing
 * and duplicated sequence numbers. Exit code 0 only when nothing is missing; 1 when something is;
 * 2 when the source cannot be read.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check that every message a load run sent reached a destination.",
                "Sequence numbers come from the payload's seq field (the load generator's templates write it)."})
final class VerifyCommand implements Callable<Integer> {

    @Option(names = "--source", required = true, paramLabel = "KIND:NAME",
            description = "file:DIR (the gateway's file sink), dynamodb:TABLE or kinesis:STREAM")
    String source;

    @Option(names = "--expect-devices", paramLabel = "N", defaultValue = "0",
            description = "Devices the run had (PREFIX-FIRST ..); absent ones count as missing everything. DynamoDB: query these partitions instead of scanning")
    int expectDevices;

    @Option(names = "--device-prefix", paramLabel = "NAME", defaultValue = "device", description = "Device id prefix (default ${DEFAULT-VALUE})")
    String devicePrefix;

    @Option(names = "--first-device", paramLabel = "N", defaultValue = "1", description = "Number of the first device (default ${DEFAULT-VALUE})")
    int firstDevice;

    @Option(names = "--expect-messages", paramLabel = "N", defaultValue = "0",
            description = "Messages each device sent (seq 1..N); default: up to the highest seq seen")
    long expectMessages;

    @Option(names = "--endpoint", paramLabel = "URL", description = "AWS endpoint override, e.g. http://localhost:8000 for DynamoDB Local")
    URI endpoint;

    @Option(names = "--region", paramLabel = "REGION", description = "AWS region (default: the SDK's chain; us-east-1 with --endpoint)")
    String region;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON")
    Path json;

    @Option(names = "--list", paramLabel = "N", defaultValue = "20", description = "Devices with problems listed in detail (default ${DEFAULT-VALUE})")
    int list;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Expectation expectation = new Expectation(expectDevices, devicePrefix, firstDevice, expectMessages);
        SequenceLedger ledger = new SequenceLedger();
        String described;
        try (VerifySource s = VerifySources.open(source, new AwsClientSettings(endpoint, region), expectation)) {
            described = s.describe();
            s.readInto(ledger);
        } catch (Exception e) {
            err.println("tidegate-loadgen verify: cannot read " + source + ": " + e.getMessage());
            err.flush();
            return 2;
        }
        VerifyResult result = VerifyResult.evaluate(described, ledger, expectation);
        out.print(VerifyReport.text(result, list));
        if (json != null) {
            VerifyReport.writeJson(result, json);
        }
        out.flush();
        return result.passed() ? 0 : 1;
    }
}
