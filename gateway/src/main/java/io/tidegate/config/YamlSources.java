package io.tidegate.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads YAML documents into trees: the built-in defaults and the operator's config file. */
final class YamlSources {

    static final String DEFAULTS_RESOURCE = "defaults.yaml";

    /** Duplicate keys fail: silently keeping the last one hides copy-paste mistakes. */
    static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private YamlSources() {
    }

    static ObjectNode readDefaults() {
        try (InputStream in = YamlSources.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("built-in " + DEFAULTS_RESOURCE + " is missing from the classpath");
            }
            return asMapping(YAML.readTree(in), "built-in " + DEFAULTS_RESOURCE);
        } catch (IOException e) {
            // The defaults ship inside the jar; failing to read them is a broken build, not bad config.
            throw new UncheckedIOException("cannot read built-in " + DEFAULTS_RESOURCE, e);
        }
    }

    static ObjectNode readFile(Path file) {
        String subject = "config file " + file;
        if (Files.isDirectory(file)) {
            throw new ConfigException(new ConfigProblem(subject, "is a directory; expected a YAML file"), null);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return asMapping(YAML.readTree(in), subject);
        } catch (JacksonException e) {
            throw new ConfigException(new ConfigProblem(subject, syntaxMessage(e)), e);
        } catch (IOException e) {
            throw new ConfigException(new ConfigProblem(subject, "cannot be read (" + describe(e) + ")"), e);
        }
    }

    private static ObjectNode asMapping(JsonNode document, String subject) {
        if (document == null || document.isMissingNode() || document.isNull()) {
            return YAML.createObjectNode(); // an empty file changes nothing
        }
        if (!document.isObject()) {
            throw new ConfigException(new ConfigProblem(subject,
                    "top level is " + ConfigValues.render(document) + "; expected a mapping of settings"), null);
        }
        return (ObjectNode) document;
    }

    private static String syntaxMessage(JacksonException e) {
        JsonLocation where = e.getLocation();
        String position = where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
        return "invalid YAML" + position + ": " + problemText(e);
    }

    /** The parser's complaint without SnakeYAML's multi-line excerpt of the input. */
    static String problemText(JacksonException e) {
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblem() != null) {
            return marked.getProblem().strip();
        }
        if (e instanceof MismatchedInputException && original.startsWith("Duplicate field")) {
            return "duplicate key " + original.replaceFirst("(?s)^Duplicate field '([^']*)'.*$", "\"$1\"");
        }
        return original.lines().findFirst().orElse("unreadable input");
    }

    private static String describe(IOException e) {
        String type = e.getClass().getSimpleName();
        // NIO exceptions repeat the file name, which the subject already shows; keep only their reason.
        String reason = e instanceof FileSystemException fileSystem ? fileSystem.getReason() : e.getMessage();
        return reason == null ? type : type + ": " + reason;
    }
}
