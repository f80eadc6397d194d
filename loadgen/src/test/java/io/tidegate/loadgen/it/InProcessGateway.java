package io.tidegate.loadgen.it;

import io.tidegate.Gateway;
import io.tidegate.config.ConfigLoader;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A real Tidegate in this JVM on its embedded default: free ports, data in a test folder, file sink. */
final class InProcessGateway implements AutoCloseable {

    private final Gateway gateway;
    private final Path dataDir;

    InProcessGateway(Path dataDir) throws Exception {
        this.dataDir = dataDir;
        Map<String, String> env = new HashMap<>();
        env.put("TIDEGATE_DATADIR", dataDir.toString());
        env.put("TIDEGATE_LISTENERS_MQTT_PORT", "0");
        env.put("TIDEGATE_LISTENERS_MQTTS_PORT", "0");
        env.put("TIDEGATE_LISTENERS_MQTTS_HOST", "127.0.0.1");
        env.put("TIDEGATE_ADMIN_PORT", "0");
        this.gateway = Gateway.start(ConfigLoader.load(Optional.empty(), env));
    }

    String mqttUrl() {
        return "mqtt://127.0.0.1:" + gateway.listenerAddress("mqtt").getPort();
    }

    String mqttsUrl() {
        return "mqtts://127.0.0.1:" + gateway.listenerAddress("mqtts").getPort();
    }

    /** The development CA: it signed the server certificate and signs device certificates. */
    Path caCert() {
        return dataDir.resolve("certs").resolve("ca.pem");
    }

    Path caKey() {
        return dataDir.resolve("certs").resolve("ca.key");
    }

    Path sinkDir() {
        return dataDir.resolve("sink").resolve("file");
    }

    @Override
    public void close() {
        gateway.close();
    }
}
