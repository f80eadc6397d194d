package io.tidegate.it;

import io.tidegate.Gateway;
import io.tidegate.config.ConfigLoader;
import io.tidegate.config.TidegateConfig;
import io.tidegate.security.certs.DevelopmentPki;
import io.tidegate.security.certs.DevicePkiFiles;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A real gateway in this JVM on the embedded default, with free ports (or given ones, for a
 * restart on the same ports) and its data in a test folder.
 */
final class TestGateway implements AutoCloseable {

    private final Path dataDir;
    private final Map<String, String> environment;
    private Gateway gateway;
    private Path configFile;

    private TestGateway(Path dataDir, Map<String, String> environment) {
        this.dataDir = dataDir;
        this.environment = environment;
    }

    /** Starts on free ports; {@code extraEnvironment} holds further {@code TIDEGATE_*} overrides. */
    static TestGateway start(Path dataDir, Map<String, String> extraEnvironment) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("TIDEGATE_DATADIR", dataDir.toString());
        env.put("TIDEGATE_LISTENERS_MQTT_PORT", "0");
        env.put("TIDEGATE_LISTENERS_MQTTS_PORT", "0");
        env.put("TIDEGATE_LISTENERS_MQTTS_HOST", "127.0.0.1");
        env.put("TIDEGATE_ADMIN_PORT", "0");
        env.putAll(extraEnvironment);
        TestGateway test = new TestGateway(dataDir, env);
        test.startGateway();
        return test;
    }

    static TestGateway start(Path dataDir) throws Exception {
        return start(dataDir, Map.of());
    }

    /** Starts on free ports with {@code configFile} on top of the defaults (e.g. an AWS destination). */
    static TestGateway startWithConfig(Path dataDir, Path configFile) throws Exception {
        TestGateway test = new TestGateway(dataDir, new HashMap<>(Map.of("TIDEGATE_DATADIR", dataDir.toString(),
                "TIDEGATE_LISTENERS_MQTT_PORT", "0", "TIDEGATE_LISTENERS_MQTTS_PORT", "0",
                "TIDEGATE_LISTENERS_MQTTS_HOST", "127.0.0.1", "TIDEGATE_ADMIN_PORT", "0")));
        test.configFile = configFile;
        test.startGateway();
        return test;
    }

    private void startGateway() throws Exception {
        TidegateConfig config = ConfigLoader.load(Optional.ofNullable(configFile), environment);
        gateway = Gateway.start(config);
    }

    /** Stops gracefully and starts again on the same ports and data. */
    void restart() throws Exception {
        // a listener the config disables has no address: only the bound ones keep their ports
        for (String listener : new String[] {"mqtt", "mqtts"}) {
            InetSocketAddress address = gateway.listenerAddress(listener);
            if (address != null) {
                environment.put("TIDEGATE_LISTENERS_" + listener.toUpperCase(Locale.ROOT) + "_PORT",
                        Integer.toString(address.getPort()));
            }
        }
        gateway.close();
        startGateway();
    }

    void stop() {
        gateway.close();
    }

    Gateway gateway() {
        return gateway;
    }

    int mqttPort() {
        return gateway.listenerAddress("mqtt").getPort();
    }

    int mqttsPort() {
        return gateway.listenerAddress("mqtts").getPort();
    }

    InetSocketAddress admin() {
        return gateway.adminAddress().orElseThrow();
    }

    Path dataDir() {
        return dataDir;
    }

    Path certsDir() {
        return dataDir.resolve("certs");
    }

    Path caCert() {
        return certsDir().resolve(DevelopmentPki.CA_CERT);
    }

    Path sinkDir() {
        return dataDir.resolve("sink").resolve("file");
    }

    /** Device certificates signed by the gateway's development CA, named {@code prefix-1..n}. */
    DevicePkiFiles devices(int count, String prefix) throws IOException {
        return DevelopmentPki.issueDevices(certsDir(), count, prefix);
    }

    @Override
    public void close() {
        if (gateway != null) {
            gateway.close();
        }
    }
}
