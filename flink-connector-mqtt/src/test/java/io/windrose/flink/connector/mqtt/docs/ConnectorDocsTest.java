package io.windrose.flink.connector.mqtt.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connector's page (docs/mqtt-connector.md): its Java example compiles against the connector. (Its options table
 * is checked with the docs' other option tables, by OptionTablesTest in the jobs module.)
 */
class ConnectorDocsTest {
    private static final Path PAGE = Path.of("../docs/mqtt-connector.md");

    @TempDir
    Path dir;

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
}
