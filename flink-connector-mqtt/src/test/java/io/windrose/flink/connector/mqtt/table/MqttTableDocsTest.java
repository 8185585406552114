package io.windrose.flink.connector.mqtt.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.types.DataType;
import org.junit.jupiter.api.Test;

/** The SQL page (docs/sql.md) lists exactly the metadata keys and types an mqtt table reads and writes, in order. */
class MqttTableDocsTest {
    private static final Path PAGE = Path.of("../docs/sql.md");

    @Test
    void theReadMetadataTableIsTheSourcesMetadata() throws IOException {
        assertThat(table("| read metadata | type | value |")).isEqualTo(rendered(MqttReadableMetadata.list()));
    }

    @Test
    void theWrittenMetadataTableIsTheSinksMetadata() throws IOException {
        assertThat(table("| written metadata | type | when null or not declared |"))
                .isEqualTo(rendered(MqttWritableMetadata.list()));
    }

    /** Key → type of the table under {@code header}: its first two columns. */
    private static Map<String, String> table(String header) throws IOException {
        List<String> lines = Files.readAllLines(PAGE);
        int start = lines.indexOf(header);
        assertThat(start).as(PAGE + " has a table headed " + header).isNotNegative();
        Map<String, String> rows = new LinkedHashMap<>();
        for (int i = start + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).split("\\|");
            rows.put(cells[1].strip().replace("`", ""), cells[2].strip().replace("`", ""));
        }
        return rows;
    }

    private static Map<String, String> rendered(Map<String, DataType> metadata) {
        Map<String, String> rows = new LinkedHashMap<>();
        metadata.forEach((key, type) -> rows.put(key, type.toString()));
        return rows;
    }
}
