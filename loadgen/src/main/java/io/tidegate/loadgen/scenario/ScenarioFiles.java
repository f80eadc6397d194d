package io.tidegate.loadgen.scenario;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Reads a scenario file (YAML, keys as in {@link ScenarioSettings}). Unknown keys are refused with
 * their name, so a typo never silently runs the default. Relative paths, including a
 * {@code payloadTemplate} of the form {@code @FILE}, are resolved against the file's folder.
 */
public final class ScenarioFiles {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .setVisibility(com.fasterxml.jackson.annotation.PropertyAccessor.FIELD,
                    com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.ANY);

    private ScenarioFiles() {
    }

    /** @throws ScenarioException naming the file and the offending key */
    public static ScenarioSettings load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ScenarioException("scenario file " + file + " does not exist");
        }
        ScenarioSettings settings;
        try {
            settings = YAML.readValue(file.toFile(), ScenarioSettings.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ScenarioException(file + ": unknown key '" + e.getPropertyName() + "'; known keys: " + knownKeys());
        } catch (JsonMappingException e) {
            throw new ScenarioException(file + ": " + fieldOf(e) + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ScenarioException(file + ": not readable YAML: " + e.getMessage());
        }
        if (settings == null) {
            return new ScenarioSettings();
        }
        resolvePaths(settings, file.toAbsolutePath().getParent());
        return settings;
    }

    private static void resolvePaths(ScenarioSettings settings, Path folder) {
        try {
            for (Field field : ScenarioSettings.settingFields()) {
                if (field.getType() == Path.class && field.get(settings) instanceof Path path && !path.isAbsolute()) {
                    field.set(settings, folder.resolve(path).normalize());
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        String template = settings.payloadTemplate;
        if (template != null && template.startsWith("@") && !Path.of(template.substring(1)).isAbsolute()) {
            settings.payloadTemplate = "@" + folder.resolve(template.substring(1)).normalize();
        }
    }

    private static String fieldOf(JsonMappingException e) {
        return e.getPath().stream().map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    static String knownKeys() {
        return Arrays.stream(ScenarioSettings.settingFields())
                .map(f -> f.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class).value())
                .sorted().collect(Collectors.joining(", "));
    }
}
