package io.tidegate.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/** Teaches Jackson the config's spelling of enums and paths. */
final class ConfigJacksonModule extends SimpleModule {

    ConfigJacksonModule() {
        super("tidegate-config");
        addDeserializer(Path.class, new PathDeserializer());
        setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyEnumDeserializer(DeserializationConfig config, JavaType type,
                                                              BeanDescription description, JsonDeserializer<?> standard) {
                return new LenientEnumDeserializer(type.getRawClass());
            }
        });
    }

    /** Accepts {@code san-dns}, {@code SAN_DNS}, {@code San-Dns}; see {@link ConfigEnums}. */
    static final class LenientEnumDeserializer extends StdScalarDeserializer<Object> {

        LenientEnumDeserializer(Class<?> type) {
            super(type);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return context.handleUnexpectedToken(handledType(), parser);
            }
            String text = parser.getText();
            Optional<Enum<?>> constant = ConfigEnums.parse(handledType(), text);
            if (constant.isPresent()) {
                return constant.get();
            }
            return context.handleWeirdStringValue(handledType(), text, "expected one of %s", ConfigEnums.allowed(handledType()));
        }
    }

    /**
     * Plain {@link Path#of}: Jackson's own Path support reads values containing {@code :} as URIs,
     * which is not what a config file means by a path.
     */
    static final class PathDeserializer extends StdScalarDeserializer<Path> {

        PathDeserializer() {
            super(Path.class);
        }

        @Override
        public Path deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (Path) context.handleUnexpectedToken(Path.class, parser);
            }
            String text = parser.getText();
            try {
                return Path.of(text);
            } catch (InvalidPathException e) {
                return (Path) context.handleWeirdStringValue(Path.class, text, e.getReason());
            }
        }
    }
}
