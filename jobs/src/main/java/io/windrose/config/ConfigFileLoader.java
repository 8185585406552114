package io.windrose.config;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Reads a YAML configuration file into a {@link ConfigSection}: {@code ${ENV}} / {@code ${ENV:-default}}
 * interpolation in values, {@code key=value} overrides, strict binding (unknown and repeated keys are errors; enums by
 * their {@code toString()} form, e.g. {@code at-least-once}; durations with a unit; relative file paths against the
 * file's directory; a key the section says has moved, {@link MovedKey}, is an error naming where it went), then the
 * section's own validation. Every error is a {@link ConfigException} naming the file, the key and what was expected.
 */
public final class ConfigFileLoader {
    private final YAMLMapper mapper;
    private final Function<String, String> environment;

    public ConfigFileLoader(Function<String, String> environment) {
        this.environment = environment;
        this.mapper = mapper();
    }

    /** The mapper that binds configuration files (and writes them back, e.g. to compare with a documented file). */
    public static YAMLMapper mapper() {
        return YAMLMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.READ_ENUMS_USING_TO_STRING)
                .enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION) // a repeated key must not silently replace the first
                // an explicit null: unset, off or an error, key by key (ExplicitNulls); never inside a list or map
                .defaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL))
                .addModule(new SimpleModule()
                        .setDeserializerModifier(new ExplicitNulls())
                        .addDeserializer(Duration.class, new DurationDeserializer())
                        .addSerializer(Duration.class, new DurationSerializer()))
                .build();
    }

    /** Loads {@code file} as {@code type} and applies {@code overrides} ("dotted.key=value", list items by index). */
    public <T extends ConfigSection> T load(Path file, List<String> overrides, Class<T> type) {
        String name = file.toString();
        JsonNode root = read(file);
        if (root.isMissingNode()) {
            root = mapper.createObjectNode();
        }
        if (!root.isObject()) {
            throw new ConfigException(name, null, "expected a mapping of keys at the top level");
        }
        for (String override : overrides) {
            applyOverride(name, (ObjectNode) root, override);
        }
        refuseMovedKeys(name, root, type);
        T config = bind(file, root, type);
        config.validate(new ConfigCheck(name));
        return config;
    }

    /**
     * Stops at a key {@code type} says has moved ({@link MovedKey}), from the file or an override: its old place would
     * otherwise be only an unknown key, with no word of where it went.
     */
    private static void refuseMovedKeys(String file, JsonNode root, Class<?> type) {
        for (MovedKey moved : type.getAnnotationsByType(MovedKey.class)) {
            JsonNode node = root;
            for (String part : moved.from().split("\\.")) {
                node = node.path(part); // missing below a value or a list too
            }
            if (!node.isMissingNode()) {
                throw new ConfigException(file, moved.from(), "moved to " + moved.to());
            }
        }
    }

    /**
     * The tree of a YAML file with its {@code ${ENV}} references filled in, as {@link #load} reads it; an empty file
     * is a missing node. For files whose top level is not one section (e.g. a rules file that may be a list).
     */
    public JsonNode read(Path file) {
        String name = file.toString();
        JsonNode root;
        try {
            root = mapper.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new ConfigException(name, null, "file not found");
        } catch (JsonProcessingException e) {
            throw new ConfigException(name, null, "not valid YAML at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(name, null, "cannot be read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return mapper.missingNode();
        }
        interpolate(name, root, "");
        return root;
    }

    /** Binds a tree {@link #read} from {@code file} as {@link #load} binds it (relative paths against its directory). */
    public <T> T bind(Path file, JsonNode tree, Class<T> type) {
        return bind(file.toString(), tree, type, file.toAbsolutePath().getParent());
    }

    /**
     * Binds a configuration tree that did not come from a file (e.g. a rule sent at runtime) as strictly as a file:
     * no {@code ${ENV}} interpolation (its sender must not read the job's environment), no relative paths.
     *
     * @param where what to call the source in errors, in place of a file name
     */
    public <T> T bind(String where, JsonNode tree, Class<T> type) {
        return bind(where, tree, type, null);
    }

    private <T> T bind(String file, JsonNode root, Class<T> type, Path dir) {
        try {
            return (dir == null ? mapper.readerFor(type) : mapper.readerFor(type).withAttribute(RelativePath.BASE_DIR, dir))
                    .readValue(root);
        } catch (UnrecognizedPropertyException e) {
            TreeSet<String> known = new TreeSet<>();
            e.getKnownPropertyIds().forEach(id -> known.add(id.toString()));
            throw new ConfigException(file, path(e), "unknown key; expected one of " + known);
        } catch (InvalidNullException e) {
            throw new ConfigException(file, path(e), "null (or an empty value) is not allowed in a list or mapping");
        } catch (InvalidFormatException e) {
            throw new ConfigException(file, path(e), "expected " + describe(e.getTargetType()) + ", got '" + e.getValue() + "'");
        } catch (MismatchedInputException e) {
            String reason = e.getCause() instanceof IllegalArgumentException
                    ? e.getCause().getMessage() : "expected " + describe(e.getTargetType());
            throw new ConfigException(file, path(e), reason);
        } catch (ValueInstantiationException e) {
            String reason = e.getCause() instanceof IllegalArgumentException ? e.getCause().getMessage() : e.getOriginalMessage();
            throw new ConfigException(file, path(e), reason);
        } catch (JsonMappingException e) {
            String reason = e.getCause() instanceof IllegalArgumentException ? e.getCause().getMessage() : e.getOriginalMessage();
            throw new ConfigException(file, path(e), reason);
        } catch (IOException e) {
            throw new ConfigException(file, null, e.getMessage());
        }
    }

    private void interpolate(String file, JsonNode node, String path) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (field.getValue().isTextual()) {
                    field.setValue(TextNode.valueOf(substitute(file, key, field.getValue().asText())));
                } else {
                    interpolate(file, field.getValue(), key);
                }
            }
        } else if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                String key = path + "[" + i + "]";
                if (array.get(i).isTextual()) {
                    array.set(i, TextNode.valueOf(substitute(file, key, array.get(i).asText())));
                } else {
                    interpolate(file, array.get(i), key);
                }
            }
        }
    }

    private String substitute(String file, String key, String text) {
        return EnvironmentVariables.substitute(text, environment, name -> {
            throw new ConfigException(file, key, EnvironmentVariables.hint(name));
        });
    }

    /**
     * Applies one {@code key=value} override. The key is a path of names separated by dots; a name in brackets is taken
     * as it is, dots included, for maps whose keys contain dots ({@code job.flink-config[rest.bind-port]=8082}); a list
     * item is named by its index, either way ({@code routes.0.measurement}, {@code routes[0].measurement}).
     */
    private void applyOverride(String file, ObjectNode root, String override) {
        int eq = assignment(override);
        if (eq <= 0) {
            throw new ConfigException(file, override, "an override must look like key=value (e.g. window.size=30s)");
        }
        String key = override.substring(0, eq).trim();
        JsonNode value;
        try {
            value = mapper.readTree(override.substring(eq + 1));
        } catch (JsonProcessingException e) {
            value = TextNode.valueOf(override.substring(eq + 1));
        }
        if (value == null || value.isMissingNode()) {
            value = TextNode.valueOf("");
        }
        List<String> parts = keyPath(file, key);
        JsonNode node = root;
        for (int i = 0; i < parts.size() - 1; i++) {
            JsonNode next = child(node, parts.get(i));
            if (next == null || next.isNull() || next.isMissingNode()) {
                if (!node.isObject()) {
                    throw new ConfigException(file, key, "no such list item to override");
                }
                next = ((ObjectNode) node).putObject(parts.get(i));
            }
            node = next;
        }
        String last = parts.get(parts.size() - 1);
        if (node.isObject()) {
            ((ObjectNode) node).set(last, value);
        } else if (node.isArray() && last.matches("\\d+") && Integer.parseInt(last) < node.size()) {
            ((ArrayNode) node).set(Integer.parseInt(last), value);
        } else {
            throw new ConfigException(file, key, "cannot override inside a " + node.getNodeType().toString().toLowerCase(Locale.ROOT));
        }
    }

    /** Where the value of an override starts: its first '=' outside brackets (a bracketed name may hold any character). */
    private static int assignment(String override) {
        boolean bracket = false;
        for (int i = 0; i < override.length(); i++) {
            char c = override.charAt(i);
            if (c == '[') {
                bracket = true;
            } else if (c == ']') {
                bracket = false;
            } else if (c == '=' && !bracket) {
                return i;
            }
        }
        return override.indexOf('='); // an unclosed '[': the key's error says so
    }

    /** The names of an override key: {@code a.b[c.d].e} is a, b, c.d, e. */
    static List<String> keyPath(String file, String key) {
        List<String> parts = new ArrayList<>();
        StringBuilder name = new StringBuilder();
        boolean afterBracket = false;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '[') {
                int close = key.indexOf(']', i + 1);
                if (close < 0) {
                    throw new ConfigException(file, key, "a '[' without its ']' (write a name with dots as a[b.c])");
                }
                if (name.length() > 0) {
                    parts.add(name.toString());
                    name.setLength(0);
                } else if (i > 0 && !afterBracket) {
                    throw new ConfigException(file, key, "an empty name before '['");
                }
                String inner = key.substring(i + 1, close);
                if (inner.isEmpty()) {
                    throw new ConfigException(file, key, "an empty name in '[]'");
                }
                parts.add(inner);
                i = close;
                afterBracket = true;
            } else if (c == '.') {
                if (name.length() > 0) {
                    parts.add(name.toString());
                    name.setLength(0);
                } else if (!afterBracket) {
                    throw new ConfigException(file, key, "an empty name between dots");
                }
                afterBracket = false;
                if (i == key.length() - 1) {
                    throw new ConfigException(file, key, "an empty name after the last dot");
                }
            } else if (c == ']') {
                throw new ConfigException(file, key, "a ']' without its '['");
            } else {
                if (afterBracket) {
                    throw new ConfigException(file, key, "expected '.' or '[' after ']'");
                }
                name.append(c);
            }
        }
        if (name.length() > 0) {
            parts.add(name.toString());
        }
        if (parts.isEmpty()) {
            throw new ConfigException(file, key, "an override must look like key=value (e.g. window.size=30s)");
        }
        return parts;
    }

    private static JsonNode child(JsonNode node, String part) {
        if (node.isArray() && part.matches("\\d+")) {
            return node.get(Integer.parseInt(part));
        }
        return node.get(part);
    }

    private static String path(JsonMappingException e) {
        StringBuilder key = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (key.length() > 0) {
                    key.append('.');
                }
                key.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                key.append('[').append(ref.getIndex()).append(']');
            }
        }
        return key.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(Object::toString).toList();
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || ConfigSection.class.isAssignableFrom(type)) {
            return "a mapping of keys";
        }
        return "a " + type.getSimpleName();
    }

    private static final class DurationDeserializer extends StdScalarDeserializer<Duration> {
        private static final long serialVersionUID = 1L;

        DurationDeserializer() {
            super(Duration.class);
        }

        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            if (p.currentToken().isNumeric()) {
                throw JsonMappingException.from(p, "duration needs a unit",
                        new IllegalArgumentException("expected a duration with a unit such as 500ms, 10s, 2m or 1h, got '"
                                + p.getText() + "'"));
            }
            try {
                return Durations.parse(p.getValueAsString());
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(p, e.getMessage(), e);
            }
        }
    }

    private static final class DurationSerializer extends StdScalarSerializer<Duration> {
        private static final long serialVersionUID = 1L;

        DurationSerializer() {
            super(Duration.class);
        }

        @Override
        public void serialize(Duration value, com.fasterxml.jackson.core.JsonGenerator gen,
                com.fasterxml.jackson.databind.SerializerProvider provider) throws IOException {
            gen.writeString(Durations.format(value));
        }
    }
}
