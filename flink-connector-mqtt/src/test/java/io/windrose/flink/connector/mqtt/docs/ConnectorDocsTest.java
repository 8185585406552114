package io.windrose.flink.connector.mqtt.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.flink.connector.mqtt.common.MqttConnectorOptions;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.HtmlFormatter;
import org.apache.flink.util.TimeUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connector's page (docs/mqtt-connector.md) lists exactly the connector's options as the code declares them (key,
 * type, default, description, in the order of {@link MqttConnectorOptions#ALL}), and its Java example compiles against
 * the connector. On a mismatch the test prints the table to paste.
 */
class ConnectorDocsTest {
    private static final Path PAGE = Path.of("../docs/mqtt-connector.md");
    private static final String HEADER = "| option | type | default | description |";

    @TempDir
    Path dir;

    @Test
    void theOptionsTableIsTheConnectorsOptions() throws IOException {
        List<String> lines = Files.readAllLines(PAGE);
        int start = lines.indexOf(HEADER);
        assertThat(start).as(PAGE + " has a table headed " + HEADER).isNotNegative();
        List<String> documented = new ArrayList<>();
        for (int i = start + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            documented.add(lines.get(i));
        }
        List<String> expected = MqttConnectorOptions.ALL.stream().map(ConnectorDocsTest::row).toList();
        assertThat(documented).as("the options table of " + PAGE + "; expected:\n" + HEADER + "\n|---|---|---|---|\n"
                + String.join("\n", expected) + "\n").isEqualTo(expected);
    }

    @Test
    void theJavaExampleCompilesAgainstTheConnector() throws IOException {
        assertThat(compileExample(dir)).isNotBlank();
    }

    /** Compiles the page's ```java example into {@code dir}; returns its class name. */
    static String compileExample(Path dir) throws IOException {
        String page = Files.readString(PAGE);
        int open = page.indexOf("```java\n");
        assertThat(open).as(PAGE + " has a ```java example").isNotNegative();
        String example = page.substring(open + "```java\n".length(), page.indexOf("```", open + 8));
        assertThat(example).contains("public class ");
        String name = example.replaceAll("(?s).*public class (\\w+).*", "$1");
        Path source = Files.writeString(dir.resolve(name + ".java"), example);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        java.io.StringWriter errors = new java.io.StringWriter();
        boolean ok = compiler.getTask(errors, null, null, List.of("-d", dir.toString(), "-classpath",
                System.getProperty("java.class.path")), null,
                compiler.getStandardFileManager(null, null, null).getJavaFileObjects(source.toFile())).call();
        assertThat(ok).as("the example of " + PAGE + " compiles:\n" + errors).isTrue();
        return name;
    }

    /** One row: `key` | type | default | description (HTML-escaped, as Flink's own option tables are). */
    static String row(ConfigOption<?> option) {
        String description = new HtmlFormatter().format(option.description()).replace("|", "\\|");
        return "| `" + option.key() + "` | " + type(option) + " | " + defaultValue(option) + " | " + description + " |";
    }

    private static String type(ConfigOption<?> option) {
        try {
            Method clazz = ConfigOption.class.getDeclaredMethod("getClazz");
            Method isList = ConfigOption.class.getDeclaredMethod("isList");
            clazz.setAccessible(true);
            isList.setAccessible(true);
            Class<?> type = (Class<?>) clazz.invoke(option);
            String name = type.isEnum() ? "Enum: " + java.util.Arrays.stream(type.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", ")) : type.getSimpleName();
            return (boolean) isList.invoke(option) ? "List&lt;" + name + "&gt;" : name;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Flink's ConfigOption changed: " + e, e);
        }
    }

    private static String defaultValue(ConfigOption<?> option) {
        if (!option.hasDefaultValue()) {
            return "(none)";
        }
        Object value = option.defaultValue();
        return value instanceof Duration d ? TimeUtils.formatWithHighestUnit(d) : String.valueOf(value);
    }
}
