package io.windrose.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.windrose.alert.RuleConfig;
import io.windrose.config.ConfigFileLoader;
import io.windrose.decode.RouteConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "Every key, with its default" block of docs/configuration.md is the sections' own defaults: it names every key
 * the sections have (no more, no fewer) and, loaded as a pipeline file, equals a default configuration with the same
 * example route and rule.
 */
class DocumentedDefaultsTest {
    private static final ObjectMapper MAPPER = ConfigFileLoader.mapper();

    @TempDir
    Path dir;

    @Test
    void theDocumentedKeyReferenceIsTheDefaults() throws IOException {
        String page = Files.readString(Path.of("../docs/configuration.md"));
        int heading = page.indexOf("Every key, with its default");
        assertThat(heading).as("the heading in docs/configuration.md").isNotNegative();
        int start = page.indexOf("```yaml\n", heading) + "```yaml\n".length();
        String block = page.substring(start, page.indexOf("```", start));
        Path file = Files.writeString(dir.resolve("documented-keys.yaml"), block);

        PipelineConfig documented = new PipelineConfigLoader().load(file, List.of());
        PipelineConfig defaults = new PipelineConfig();
        RouteConfig route = new RouteConfig();
        route.name = "sensors";
        route.topicTemplate = "sensors/{site}/{sensor}";
        defaults.routes.add(route);
        RuleConfig rule = new RuleConfig();
        rule.name = "too-hot";
        rule.field = "temperature";
        rule.above = io.windrose.alert.Thresholds.of(30);
        defaults.rules.add(rule);

        JsonNode expected = MAPPER.valueToTree(defaults);
        assertThat(keys(MAPPER.readTree(block), "")).as("keys in docs/configuration.md").isEqualTo(keys(expected, ""));
        assertThat(MAPPER.<JsonNode>valueToTree(documented)).as("values in docs/configuration.md").isEqualTo(expected);
    }

    private static TreeSet<String> keys(JsonNode node, String path) {
        TreeSet<String> keys = new TreeSet<>();
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                keys.add(key);
                // maps of user keys (flink-config, rename, properties) are values, not keys
                if (field.getValue().isObject() && !field.getValue().isEmpty() || field.getValue().isArray()) {
                    keys.addAll(keys(field.getValue(), key));
                }
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                keys.addAll(keys(item, path + "[]"));
            }
        }
        return keys;
    }
}
