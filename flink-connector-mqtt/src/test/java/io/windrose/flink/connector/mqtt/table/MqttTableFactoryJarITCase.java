package io.windrose.flink.connector.mqtt.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.apache.flink.table.factories.Factory;
import org.junit.jupiter.api.Test;

/**
 * The module's jar (built at package, before the integration tests) registers the table factory, so that a Flink
 * distribution with the jar in lib/ or a job bundling it finds {@code 'connector' = 'mqtt'}.
 */
class MqttTableFactoryJarITCase {

    @Test
    void theBuiltJarListsTheFactoryInItsServiceFile() throws IOException {
        Path jar;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            List<Path> jars = files.filter(p -> p.getFileName().toString()
                    .matches("flink-connector-mqtt-[^-]+(-SNAPSHOT)?\\.jar")).toList();
            assertThat(jars).as("the module's jar in target/").hasSize(1);
            jar = jars.get(0);
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            JarEntry services = file.getJarEntry("META-INF/services/" + Factory.class.getName());
            assertThat(services).as(jar + " has a table factory service file").isNotNull();
            try (InputStream in = file.getInputStream(services)) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::trim))
                        .contains(MqttDynamicTableFactory.class.getName());
            }
            assertThat(file.getJarEntry(MqttDynamicTableFactory.class.getName().replace('.', '/') + ".class"))
                    .as("the factory class in " + jar).isNotNull();
        }
    }
}
