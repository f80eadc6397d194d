package io.tidegate.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds the gateway's {@link TidegateConfig}: built-in {@code defaults.yaml}, then the optional YAML
 * file deep-merged on top (mappings merge key by key; lists and scalars replace), then
 * {@code TIDEGATE_*} environment overrides, then binding and {@link ConfigValidator validation}.
 *
 * <p>Relative paths inside the file (TLS files, destination directories) are resolved against the
 * file's folder; {@code dataDir} is returned as written, for the caller to resolve.
 */
public final class ConfigLoader {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

    private ConfigLoader() {
    }

    /**
     * @param configFile  YAML file to layer over the defaults, if any
     * @param environment variables to take {@code TIDEGATE_*} overrides from, usually {@link System#getenv()}
     * @throws ConfigException listing what is wrong, by field path
     */
    public static TidegateConfig load(Optional<Path> configFile, Map<String, String> environment) {
        Objects.requireNonNull(configFile, "configFile");
        Objects.requireNonNull(environment, "environment");
        ObjectNode tree = YamlSources.readDefaults();
        Optional<Path> file = configFile.map(path -> path.toAbsolutePath().normalize());
        file.ifPresent(path -> {
            ObjectNode fileTree = YamlSources.readFile(path);
            RelativePaths.resolveAgainst(fileTree, path.getParent());
            TreeMerge.mergeInto(tree, fileTree);
        });
        Map<ConfigPath, String> overrides = EnvironmentOverrides.apply(tree, environment);
        TidegateConfig config;
        try {
            config = ConfigBinder.bind(tree);
            ConfigValidator.validate(config);
        } catch (ConfigException e) {
            throw blameOverrides(e, overrides);
        }
        LOG.info("Configuration loaded from {}{}", file.map(path -> path + " over built-in defaults").orElse("built-in defaults"),
                overrides.isEmpty() ? "" : " with overrides " + String.join(", ", overrides.values()));
        return config;
    }

    /** The built-in defaults alone: no file, no environment. */
    public static TidegateConfig loadDefaults() {
        return load(Optional.empty(), Map.of());
    }

    /** A rejected value set by a variable names the variable; the field path alone would send people to the file. */
    private static ConfigException blameOverrides(ConfigException e, Map<ConfigPath, String> overrides) {
        if (overrides.isEmpty()) {
            return e;
        }
        List<ConfigProblem> problems = e.problems().stream().map(problem -> {
            for (Map.Entry<ConfigPath, String> override : overrides.entrySet()) {
                String path = override.getKey().toString();
                if (problem.subject().equals(path) || problem.subject().startsWith(path + "[")) {
                    return new ConfigProblem(problem.subject(), problem.message() + " (set by " + override.getValue() + ")");
                }
            }
            return problem;
        }).toList();
        return new ConfigException(problems, e.getCause());
    }
}
