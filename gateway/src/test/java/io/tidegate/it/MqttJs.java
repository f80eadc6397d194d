package io.tidegate.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * MQTT.js (npm {@code mqtt}), installed with npm into {@code gateway/target/mqttjs} on first use,
 * with the interoperability scenario script from the test resources beside it.
 */
final class MqttJs {

    private static final String VERSION = "5.16.0";
    private static final Path HOME = Path.of(System.getProperty("basedir", "."), "target", "mqttjs");

    private MqttJs() {
    }

    /** The scenario script, ready to run with {@code node} (MQTT.js installed next to it). */
    static synchronized Path scenario() throws IOException, InterruptedException {
        Path module = HOME.resolve("node_modules").resolve("mqtt").resolve("package.json");
        if (!Files.exists(module)) {
            Files.createDirectories(HOME);
            Process npm = new ProcessBuilder(List.of("npm", "install", "--no-audit", "--no-fund", "--prefix",
                    HOME.toString(), "mqtt@" + VERSION)).redirectErrorStream(true)
                    .redirectOutput(HOME.resolve("npm.log").toFile()).start();
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0 || !Files.exists(module)) {
                throw new IllegalStateException("npm install mqtt@" + VERSION + " failed; see " + HOME.resolve("npm.log"));
            }
        }
        Path script = HOME.resolve("scenario.js");
        try (InputStream in = MqttJs.class.getResourceAsStream("/mqttjs/scenario.js")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        return script;
    }
}
