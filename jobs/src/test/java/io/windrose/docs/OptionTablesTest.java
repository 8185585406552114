package io.windrose.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.flink.connector.mqtt.common.MqttConnectorOptions;
import io.windrose.flink.connector.mqtt.table.MqttDynamicTableFactory;
import io.windrose.sink.table.InfluxDbDynamicTableFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.factories.DynamicTableFactory;
import org.junit.jupiter.api.Test;

/**
 * The option tables of the docs are the code's options (key, type, default, description, in the code's order): the MQTT
 * connector's page lists {@link MqttConnectorOptions#ALL}, the SQL page each table factory's required options (in bold)
 * and then its optional ones. On a mismatch the test prints the table to paste.
 */
class OptionTablesTest {
    private static final Path CONNECTOR = UserDocs.ROOT.resolve("docs/mqtt-connector.md");
    private static final Path SQL = UserDocs.ROOT.resolve("docs/sql.md");

    @Test
    void theConnectorPageListsTheConnectorsOptions() {
        check(CONNECTOR, "| option | type | default | description |",
                MqttConnectorOptions.ALL.stream().map(option -> OptionRows.row(option, false)).toList());
    }

    @Test
    void theSqlPageListsEveryOptionOfBothTables() {
        check(SQL, "| mqtt option | type | default | description |", rows(new MqttDynamicTableFactory()));
        check(SQL, "| influxdb option | type | default | description |", rows(new InfluxDbDynamicTableFactory()));
    }

    private static List<String> rows(DynamicTableFactory factory) {
        List<String> rows = new ArrayList<>();
        factory.requiredOptions().stream().sorted(Comparator.comparing(ConfigOption::key))
                .forEach(option -> rows.add(OptionRows.row(option, true)));
        factory.optionalOptions().forEach(option -> rows.add(OptionRows.row(option, false)));
        return rows;
    }

    private static void check(Path page, String header, List<String> expected) {
        List<String> lines = UserDocs.lines(page);
        int start = lines.indexOf(header);
        assertThat(start).as(page + " has a table headed " + header).isNotNegative();
        List<String> documented = new ArrayList<>();
        for (int i = start + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            documented.add(lines.get(i));
        }
        assertThat(documented).as("the table of " + page + "; expected:\n" + header + "\n|---|---|---|---|\n"
                + String.join("\n", expected) + "\n").isEqualTo(expected);
    }
}
