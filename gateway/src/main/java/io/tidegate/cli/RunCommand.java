package io.tidegate.cli;

import io.tidegate.Gateway;
import io.tidegate.config.ConfigException;
import io.tidegate.config.TidegateConfig;
import io.tidegate.security.certs.DeviceFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code tidegate run}: starts the gateway and runs until SIGTERM or SIGINT, then stops gracefully (exit 0). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the gateway (with no configuration: the embedded default).")
final class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TidegateConfig config;
        try {
            config = options.load();
        } catch (ConfigException e) {
            err.println("tidegate: invalid configuration:");
            err.println(e.getMessage());
            err.flush();
            return 2;
        }
        CountDownLatch stop = StopSignals.install();

        Gateway gateway = Gateway.start(config);
        Thread hook = new Thread(gateway::close, "tidegate-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        printBanner(out, gateway);
        stop.await();
        gateway.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The JVM is exiting anyway.
        }
        return 0;
    }

    private static String hostPort(InetSocketAddress address) {
        String host = address.getAddress().isAnyLocalAddress() ? "0.0.0.0" : address.getHostString();
        return host + ":" + address.getPort();
    }

    private static void printBanner(PrintWriter out, Gateway gateway) {
        out.println("Tidegate is running. Data directory: " + gateway.dataDir());
        InetSocketAddress mqtt = gateway.listenerAddress("mqtt");
        InetSocketAddress mqtts = gateway.listenerAddress("mqtts");
        if (mqtt != null) {
            out.println("  mqtt   " + hostPort(mqtt));
        }
        if (mqtts != null) {
            out.println("  mqtts  " + hostPort(mqtts) + " (TLS)");
        }
        gateway.adminAddress().ifPresent(a ->
                out.println("  admin  http://" + a.getHostString() + ":" + a.getPort() + "/metrics"));
        gateway.developmentPki().ifPresent(pki -> {
            out.println("Development certificates (generated on first start):");
            out.println("  CA          " + pki.caCert());
            for (Map.Entry<String, DeviceFiles> device : pki.devices().entrySet()) {
                out.println("  " + device.getKey() + "    " + device.getValue().certificate() + " / "
                        + device.getValue().privateKey());
                if (mqtts != null) {
                    out.println("Try: mosquitto_pub -h localhost -p " + mqtts.getPort() + " --cafile " + pki.caCert()
                            + " --cert " + device.getValue().certificate() + " --key " + device.getValue().privateKey()
                            + " -i " + device.getKey() + " -q 1 -t dt/" + device.getKey()
                            + "/telemetry -m '{\"temperature\":21.5}'");
                }
            }
        });
        out.println("Stop with Ctrl-C (or SIGTERM): the ring drains and outboxes are flushed first.");
        out.flush();
    }
}
