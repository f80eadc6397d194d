package io.tidegate.cli;

import io.tidegate.config.ConfigLoader;
import io.tidegate.config.TidegateConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The options every command that reads the configuration shares. */
final class ConfigOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "YAML configuration file (default: $TIDEGATE_CONFIG, else the built-in defaults)")
    Path configFile;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Overrides dataDir (outboxes, sinks, certificates)")
    Path dataDir;

    TidegateConfig load() {
        Map<String, String> environment = new HashMap<>(System.getenv());
        if (dataDir != null) {
            environment.put("TIDEGATE_DATADIR", dataDir.toString());
        }
        Optional<Path> file = Optional.ofNullable(configFile)
                .or(() -> Optional.ofNullable(System.getenv("TIDEGATE_CONFIG")).filter(s -> !s.isBlank()).map(Path::of));
        return ConfigLoader.load(file, environment);
    }
}
