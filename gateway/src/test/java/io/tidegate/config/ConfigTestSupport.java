package io.tidegate.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Writes YAML into a temporary folder and captures the loader's failures. */
final class ConfigTestSupport {

    private ConfigTestSupport() {
    }

    static Path write(Path dir, String name, String yaml) {
        try {
            return Files.writeString(dir.resolve(name), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TidegateConfig loadYaml(Path dir, String yaml) {
        return ConfigLoader.load(Optional.of(write(dir, "tidegate.yaml", yaml)), Map.of());
    }

    static ConfigException failure(Optional<Path> file, Map<String, String> environment) {
        try {
            ConfigLoader.load(file, environment);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected the configuration to be rejected");
    }

    static ConfigException yamlFailure(Path dir, String yaml) {
        return failure(Optional.of(write(dir, "tidegate.yaml", yaml)), Map.of());
    }

    static ConfigException envFailure(Map<String, String> environment) {
        return failure(Optional.empty(), environment);
    }
}
