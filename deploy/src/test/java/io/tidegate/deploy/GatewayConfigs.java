package io.tidegate.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tidegate.config.ConfigLoader;
import io.tidegate.config.TidegateConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Loads a deployment's gateway configuration with the gateway's own {@link ConfigLoader} (binding and
 * validation, unknown keys and unknown {@code TIDEGATE_*} variables refused), as the process would see it:
 * the YAML file plus the {@code TIDEGATE_*} variables of its environment.
 *
 * <p>The validator requires the TLS files to be readable, and they come from a Secret (or the on-site
 * box's {@code /etc/tidegate/tls}) that is not here. So each TLS path, in the file or in a variable,
 * must lie under one of the given mount points; it is then replaced by a placeholder file at the same
 * path under a temporary folder ({@code /etc/tidegate/tls/tls.crt} becomes {@code <tmp>/etc/tidegate/tls/tls.crt}).
 * Everything else is validated as written.
 */
final class GatewayConfigs {

    private static final Pattern TLS_VARIABLE = Pattern.compile("TIDEGATE_LISTENERS_.+_TLS_(CERTCHAIN|PRIVATEKEY|TRUSTEDCA)");
    private static final String[] TLS_FIELDS = {"certChain", "privateKey", "trustedCa"};

    private GatewayConfigs() {
    }

    /**
     * @param yaml        the configuration file's text
     * @param environment the process's variables; only {@code TIDEGATE_*} ones are passed on
     * @param tlsMounts   folders the TLS files may come from (Secret mounts)
     * @param scratch     an empty folder for the file and the placeholders
     */
    static TidegateConfig load(String yaml, Map<String, String> environment, Collection<String> tlsMounts, Path scratch) {
        try {
            JsonNode tree = StrictKubernetes.YAML.readTree(yaml);
            if (tree instanceof ObjectNode root) {
                for (Iterator<JsonNode> listeners = root.path("listeners").elements(); listeners.hasNext(); ) {
                    JsonNode tls = listeners.next().path("tls");
                    if (tls instanceof ObjectNode tlsObject) {
                        for (String field : TLS_FIELDS) {
                            if (tlsObject.path(field).isTextual()) {
                                tlsObject.set(field, TextNode.valueOf(placeholder(tlsObject.get(field).asText(), tlsMounts, scratch)));
                            }
                        }
                    }
                }
            }
            Map<String, String> env = new HashMap<>();
            environment.forEach((name, value) -> {
                if (name.startsWith("TIDEGATE_")) {
                    env.put(name, TLS_VARIABLE.matcher(name).matches() ? placeholder(value, tlsMounts, scratch) : value);
                }
            });
            Path file = scratch.resolve("tidegate.yaml");
            Files.writeString(file, StrictKubernetes.YAML.writeValueAsString(tree), StandardCharsets.UTF_8);
            return ConfigLoader.load(Optional.of(file), env);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String placeholder(String original, Collection<String> tlsMounts, Path scratch) {
        Path path = Path.of(original);
        boolean mounted = path.isAbsolute() && tlsMounts.stream().anyMatch(mount -> path.normalize().startsWith(Path.of(mount)));
        if (!mounted) {
            throw new AssertionError("TLS file " + original + " is not under a certificate mount " + tlsMounts);
        }
        Path copy = scratch.resolve("mounts").resolve(Path.of("/").relativize(path.normalize()));
        try {
            Files.createDirectories(copy.getParent());
            Files.writeString(copy, "placeholder for " + original + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return copy.toString();
    }
}
