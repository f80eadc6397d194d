package io.tidegate.cli;

import io.tidegate.security.certs.DevelopmentPki;
import io.tidegate.security.certs.DeviceFiles;
import io.tidegate.security.certs.DevicePkiFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code tidegate certs}: certificate helpers. */
@Command(name = "certs", mixinStandardHelpOptions = true, description = "Certificate helpers.",
        subcommands = {CertsCommand.Dev.class})
final class CertsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code tidegate certs dev --out DIR --devices N}: a development CA and N device certificates. */
    @Command(name = "dev", mixinStandardHelpOptions = true,
            description = "Create (or reuse) a development CA in DIR and N device certificates signed by it.")
    static final class Dev implements Callable<Integer> {

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory")
        Path out;

        @Option(names = "--devices", defaultValue = "1", paramLabel = "N", description = "Number of devices (default ${DEFAULT-VALUE})")
        int devices;

        @Option(names = "--prefix", defaultValue = DevelopmentPki.DEFAULT_DEVICE_PREFIX, paramLabel = "NAME",
                description = "Device name prefix: devices are NAME-1..NAME-N (default ${DEFAULT-VALUE})")
        String prefix;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (devices < 1 || devices > 100_000) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--devices must be from 1 to 100000");
            }
            DevicePkiFiles files = DevelopmentPki.issueDevices(out, devices, prefix);
            PrintWriter w = spec.commandLine().getOut();
            w.println("CA certificate: " + files.caCert());
            w.println("CA key:         " + files.caKey());
            for (Map.Entry<String, DeviceFiles> device : files.devices().entrySet()) {
                w.println(device.getKey() + ": " + device.getValue().certificate() + " " + device.getValue().privateKey());
            }
            w.flush();
            return 0;
        }
    }
}
