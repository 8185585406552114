package io.windrose.flink.connector.mqtt.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.windrose.flink.connector.mqtt.common.MqttConnectorOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ObjectIdentifier;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.factories.DynamicTableFactory;
import org.apache.flink.table.factories.Factory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.DataType;
import org.junit.jupiter.api.Test;

class MqttDynamicTableFactoryTest {
    private static final ObjectIdentifier TABLE = ObjectIdentifier.of("cat", "db", "readings");
    private static final ResolvedSchema SCHEMA = ResolvedSchema.of(
            Column.physical("device", DataTypes.STRING()),
            Column.physical("temp", DataTypes.DOUBLE()));

    @Test
    void theFactoryIsFoundByItsIdentifierAndThroughTheServiceFile() throws IOException {
        assertThat(FactoryUtil.discoverFactory(getClass().getClassLoader(), DynamicTableFactory.class, "mqtt"))
                .isInstanceOf(MqttDynamicTableFactory.class);
        // the module's own service file (the avro format's file factories on this class path need flink-connector-files,
        // so a ServiceLoader that instantiates every factory would stop at them)
        List<String> listed = new ArrayList<>();
        Enumeration<URL> files = getClass().getClassLoader().getResources("META-INF/services/" + Factory.class.getName());
        while (files.hasMoreElements()) {
            try (InputStream in = files.nextElement().openStream()) {
                listed.addAll(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::trim).toList());
            }
        }
        assertThat(listed).contains(MqttDynamicTableFactory.class.getName());
        assertThat(source(options())).isInstanceOf(MqttDynamicSource.class);
        assertThat(sink(options())).isInstanceOf(MqttDynamicSink.class);
    }

    @Test
    void theOptionsAreTheConnectorsOwnPlusTheFormat() {
        MqttDynamicTableFactory factory = new MqttDynamicTableFactory();
        assertThat(keys(factory.requiredOptions())).containsExactlyInAnyOrder("servers", "client-id-prefix", "format");
        assertThat(factory.optionalOptions()).doesNotContainAnyElementsOf(factory.requiredOptions());
        Set<String> all = keys(factory.requiredOptions());
        all.addAll(keys(factory.optionalOptions()));
        all.remove("format");
        assertThat(all).isEqualTo(keys(Set.copyOf(MqttConnectorOptions.ALL)));
        assertThat(all).contains("topics", "topic", "qos", "sink.max-in-flight");
    }

    @Test
    void anUnknownOptionIsRefusedNamingIt() {
        Map<String, String> options = options();
        options.put("topicz", "x/#");
        assertThatThrownBy(() -> source(options)).isInstanceOf(ValidationException.class)
                .cause().isInstanceOf(ValidationException.class)
                .hasMessageContaining("Unsupported options:\n\ntopicz\n");
        assertThatThrownBy(() -> sink(options)).isInstanceOf(ValidationException.class)
                .cause().hasMessageContaining("Unsupported options:\n\ntopicz\n");
    }

    @Test
    void formatOptionsAreTakenUnderTheFormatsPrefixAndCheckedByIt() {
        Map<String, String> options = options();
        options.put("json.ignore-parse-errors", "true");
        assertThat(source(options)).isInstanceOf(MqttDynamicSource.class);
        options.put("json.no-such-option", "true");
        assertThatThrownBy(() -> source(options)).cause().hasMessageContaining("json.no-such-option");
    }

    @Test
    void aMissingOrWrongValueIsRefusedNamingTheOption() {
        Map<String, String> noServers = options();
        noServers.remove("servers");
        assertThatThrownBy(() -> source(noServers)).cause()
                .hasMessageContaining("Missing required options are:\n\nservers");
        Map<String, String> badQos = options();
        badQos.put("qos", "3");
        assertThatThrownBy(() -> sink(badQos)).cause().isInstanceOf(ValidationException.class)
                .hasMessageContaining("qos: expected 0, 1 or 2, got 3");
        Map<String, String> noTopics = options();
        noTopics.remove("topics");
        assertThatThrownBy(() -> source(noTopics)).cause().hasMessageContaining("topics: expected at least one");
        assertThat(sink(noTopics)).isInstanceOf(MqttDynamicSink.class); // a sink subscribes to nothing
        Map<String, String> wildcardTopic = options();
        wildcardTopic.put("topic", "out/#");
        assertThatThrownBy(() -> sink(wildcardTopic)).cause().hasMessageContaining("topic: expected an MQTT topic name");
        Map<String, String> noFormat = options();
        noFormat.remove("format");
        assertThatThrownBy(() -> source(noFormat)).cause().hasMessageContaining("format");
    }

    @Test
    void aChangelogFormatIsRefusedForAnInsertOnlyTable() {
        Map<String, String> options = options();
        options.put("format", "debezium-json");
        // flink-json's debezium-json: its rows are updates, which an MQTT table does not produce
        assertThatThrownBy(() -> source(options)).cause().hasMessageContaining("insert-only");
    }

    @Test
    void theMetadataKeysAndTypesAreTheContracts() {
        Map<String, DataType> readable = new LinkedHashMap<>();
        readable.put("topic", DataTypes.STRING().notNull());
        readable.put("qos", DataTypes.INT().notNull());
        readable.put("retained", DataTypes.BOOLEAN().notNull());
        readable.put("received-at", DataTypes.TIMESTAMP_LTZ(3).notNull());
        readable.put("user-properties", DataTypes.MAP(DataTypes.STRING(), DataTypes.STRING()));
        readable.put("content-type", DataTypes.STRING());
        assertThat(((MqttDynamicSource) source(options())).listReadableMetadata())
                .containsExactlyEntriesOf(readable);
        Map<String, DataType> writable = new LinkedHashMap<>();
        writable.put("topic", DataTypes.STRING());
        writable.put("qos", DataTypes.INT());
        writable.put("retain", DataTypes.BOOLEAN());
        writable.put("user-properties", DataTypes.MAP(DataTypes.STRING(), DataTypes.STRING()));
        writable.put("message-expiry", DataTypes.BIGINT());
        assertThat(((MqttDynamicSink) sink(options())).listWritableMetadata()).containsExactlyEntriesOf(writable);
    }

    @Test
    void aSinkWithoutADefaultTopicNeedsATopicColumn() {
        Map<String, String> options = options();
        options.remove("topic");
        MqttDynamicSink sink = (MqttDynamicSink) sink(options);
        // the check comes before the runtime context is used
        assertThatThrownBy(() -> sink.getSinkRuntimeProvider(null)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("'topic' option").hasMessageContaining("'topic' metadata column");
        sink.applyWritableMetadata(List.of("topic"), DataTypes.ROW(DataTypes.FIELD("device", DataTypes.STRING())));
        MqttDynamicSink copy = (MqttDynamicSink) sink.copy();
        assertThat(copy).isEqualTo(sink).isNotSameAs(sink);
    }

    @Test
    void aCopyKeepsTheAppliedMetadata() {
        MqttDynamicSource source = (MqttDynamicSource) source(options());
        source.applyReadableMetadata(List.of("qos", "topic"), DataTypes.ROW(
                DataTypes.FIELD("device", DataTypes.STRING()), DataTypes.FIELD("temp", DataTypes.DOUBLE()),
                DataTypes.FIELD("qos", DataTypes.INT().notNull()), DataTypes.FIELD("topic", DataTypes.STRING())));
        DynamicTableSource copy = source.copy();
        assertThat(copy).isEqualTo(source).isNotSameAs(source);
        assertThat(copy).isNotEqualTo(source(options()));
    }

    private static Map<String, String> options() {
        Map<String, String> options = new HashMap<>();
        options.put("connector", "mqtt");
        options.put("servers", "tcp://127.0.0.1:1883");
        options.put("client-id-prefix", "unit");
        options.put("topics", "sensors/#");
        options.put("topic", "out/readings");
        options.put("format", "json");
        return options;
    }

    private static DynamicTableSource source(Map<String, String> options) {
        return FactoryUtil.createDynamicTableSource(null, TABLE, table(options), Map.of(), new Configuration(),
                MqttDynamicTableFactoryTest.class.getClassLoader(), false);
    }

    private static DynamicTableSink sink(Map<String, String> options) {
        return FactoryUtil.createDynamicTableSink(null, TABLE, table(options), Map.of(), new Configuration(),
                MqttDynamicTableFactoryTest.class.getClassLoader(), false);
    }

    private static ResolvedCatalogTable table(Map<String, String> options) {
        CatalogTable table = CatalogTable.newBuilder()
                .schema(Schema.newBuilder().fromResolvedSchema(SCHEMA).build())
                .options(options)
                .build();
        return new ResolvedCatalogTable(table, SCHEMA);
    }

    private static Set<String> keys(Set<ConfigOption<?>> options) {
        return options.stream().map(ConfigOption::key).collect(Collectors.toCollection(java.util.TreeSet::new));
    }
}
