package io.windrose.sink.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.windrose.sink.InfluxApi;
import io.windrose.sink.InfluxDbConfig;
import io.windrose.sink.InfluxDbSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.ObjectIdentifier;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.DataType;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/** The factory as the planner calls it: options → InfluxDbConfig, every setting and column checked, errors naming the option. */
class InfluxDbDynamicTableFactoryTest {
    /** device STRING, site INT, temperature DOUBLE, count BIGINT, ok BOOLEAN, note STRING, ts TIMESTAMP(3). */
    private static final ResolvedSchema SCHEMA = ResolvedSchema.physical(
            List.of("device", "site", "temperature", "count", "ok", "note", "ts"),
            List.of(DataTypes.STRING(), DataTypes.INT(), DataTypes.DOUBLE(), DataTypes.BIGINT(), DataTypes.BOOLEAN(),
                    DataTypes.STRING(), DataTypes.TIMESTAMP(3)));

    private static Map<String, String> options(String... keyValues) {
        Map<String, String> options = new HashMap<>();
        options.put("connector", "influxdb");
        options.put("measurement", "weather");
        options.put("time-column", "ts");
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] == null) {
                options.remove(keyValues[i]);
            } else {
                options.put(keyValues[i], keyValues[i + 1]);
            }
        }
        return options;
    }

    private static InfluxDbDynamicSink sink(ResolvedSchema schema, Map<String, String> options) {
        CatalogTable table = CatalogTable.newBuilder().schema(Schema.newBuilder().fromResolvedSchema(schema).build())
                .options(options).build();
        return (InfluxDbDynamicSink) FactoryUtil.createDynamicTableSink(null, ObjectIdentifier.of("cat", "db", "points"),
                new ResolvedCatalogTable(table, schema), Map.of(), new Configuration(),
                InfluxDbDynamicTableFactoryTest.class.getClassLoader(), false);
    }

    private static InfluxDbDynamicSink sink(String... keyValues) {
        return sink(SCHEMA, options(keyValues));
    }

    /** The messages of the failure and its causes, as the SQL client shows them. */
    private static String failure(ResolvedSchema schema, String... keyValues) {
        List<String> messages = new ArrayList<>();
        Throwable thrown = null;
        try {
            sink(schema, options(keyValues));
        } catch (ValidationException e) {
            thrown = e;
        }
        assertThat(thrown).as("a ValidationException").isNotNull();
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            messages.add(t.getMessage());
        }
        return String.join("\n", messages);
    }

    private static String failure(String... keyValues) {
        return failure(SCHEMA, keyValues);
    }

    @Test
    void theFactoryIsFoundByItsIdentifierThroughTheServiceFile() {
        assertThat(FactoryUtil.discoverFactory(getClass().getClassLoader(), DynamicTableSinkFactory.class, "influxdb"))
                .isInstanceOf(InfluxDbDynamicTableFactory.class);
    }

    @Test
    void withOnlyAMeasurementTheSettingsAreThoseOfTheYamlSection() {
        InfluxDbConfig config = sink().config();
        InfluxDbConfig yaml = new InfluxDbConfig();
        assertThat(config.toString()).isEqualTo(yaml.toString());
        assertThat(config.api).isEqualTo(InfluxApi.V2);
        assertThat(config.url).isEqualTo("http://127.0.0.1:8086");
        assertThat(config.org).isEqualTo(yaml.org);
        assertThat(config.bucket).isEqualTo(yaml.bucket);
        assertThat(config.token).isNull();
        assertThat(config.batchSize).isEqualTo(5000);
        assertThat(config.flushInterval).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.retryTimeout).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void everyOptionReachesInfluxDbConfig() {
        InfluxDbConfig v1 = sink("url", "https://db.example:8087", "api", "v1", "database", "telemetry",
                "retention-policy", "week", "username", "writer", "password", "pw", "batch-size", "250",
                "flush-interval", "750 ms", "gzip", "false", "retry-initial-delay", "50ms", "retry-max-delay", "2 min",
                "retry-timeout", "1 h").config();
        assertThat(v1.url).isEqualTo("https://db.example:8087");
        assertThat(v1.api).isEqualTo(InfluxApi.V1);
        assertThat(v1.database).isEqualTo("telemetry");
        assertThat(v1.retentionPolicy).isEqualTo("week");
        assertThat(v1.username).isEqualTo("writer");
        assertThat(v1.password).isEqualTo("pw");
        assertThat(v1.batchSize).isEqualTo(250);
        assertThat(v1.flushInterval).isEqualTo(Duration.ofMillis(750));
        assertThat(v1.gzip).isFalse();
        assertThat(v1.retryInitialDelay).isEqualTo(Duration.ofMillis(50));
        assertThat(v1.retryMaxDelay).isEqualTo(Duration.ofMinutes(2));
        assertThat(v1.retryTimeout).isEqualTo(Duration.ofHours(1));

        InfluxDbConfig v2 = sink("api", "V2", "org", "acme", "bucket", "telemetry/autogen", "token", "t0k").config();
        assertThat(v2.api).isEqualTo(InfluxApi.V2);
        assertThat(v2.org).isEqualTo("acme");
        assertThat(v2.bucket).isEqualTo("telemetry/autogen");
        assertThat(v2.token).isEqualTo("t0k");
    }

    @Test
    void eachSettingIsCheckedByInfluxDbConfigAndTheErrorNamesTheOption() {
        assertThat(failure("batch-size", "0")).contains("key 'batch-size'", "expected a whole number above 0",
                "table cat.db.points ('connector' = 'influxdb')");
        assertThat(failure("api", "v1")).contains("key 'database'", "expected the database to write to with api v1");
        assertThat(failure("api", "v1", "database", "d", "password", "pw")).contains("key 'password'");
        assertThat(failure("url", "localhost:8086")).contains("key 'url'", "expected http(s)://host:port");
        assertThat(failure("bucket", " ")).contains("key 'bucket'");
        assertThat(failure("flush-interval", "0 s")).contains("key 'flush-interval'");
        assertThat(failure("retry-timeout", "0 ms")).contains("key 'retry-timeout'");
        // what Flink parses itself, it names too
        assertThat(failure("api", "v3")).contains("api", "v3");
        assertThat(failure("batch-size", "many")).contains("batch-size", "many");
        assertThat(failure("retry-max-delay", "soon")).contains("retry-max-delay");
    }

    @Test
    void anUnknownOptionOrAMissingMeasurementIsRefusedByName() {
        assertThat(failure("batch-sise", "10")).contains("Unsupported options", "batch-sise");
        assertThat(failure("measurement", null)).contains("Missing required options", "measurement");
        assertThat(failure("measurement", "")).contains("key 'measurement'");
    }

    @Test
    void secretsDoNotAppearInTheErrors() {
        String message = failure("token", "tok-SECRET", "password", "pw-SECRET", "username", "u", "batch-size", "-1");
        assertThat(message).contains("key 'batch-size'").doesNotContain("SECRET");
        assertThat(sink("token", "tok-SECRET").asSummaryString()).doesNotContain("SECRET");
    }

    @Test
    void fieldsDefaultToEveryColumnThatIsNeitherATagNorTheTime() {
        assertThat(sink("tag-columns", "device;site", "time-column", "ts").mapper().toString())
                .isEqualTo("measurement weather, tags [device, site], fields [temperature, count, ok, note], time ts");
        assertThat(sink("tag-columns", "device", "field-columns", "temperature", "time-column", "ts").mapper()
                .toString()).isEqualTo("measurement weather, tags [device], fields [temperature], time ts");
        assertThat(failure("tag-columns", "device", "time-column", null)).as("without a time column ts would be a field")
                .contains("key 'field-columns'", "column 'ts' is TIMESTAMP(3)", "no InfluxDB field type");
    }

    @Test
    void eachNamedColumnMustExistWithATypeItsRoleTakes() {
        assertThat(failure("tag-columns", "devcie", "time-column", "ts"))
                .contains("key 'tag-columns'", "no column 'devcie'", "device");
        assertThat(failure("tag-columns", "temperature", "time-column", "ts"))
                .contains("key 'tag-columns'", "column 'temperature' is DOUBLE", "expected STRING");
        assertThat(failure("field-columns", "ts", "time-column", null)).contains("key 'field-columns'", "column 'ts' is TIMESTAMP(3)");
        assertThat(failure("field-columns", "nope", "time-column", "ts")).contains("key 'field-columns'", "no column 'nope'");
        assertThat(failure("time-column", "note")).contains("key 'time-column'", "column 'note' is STRING",
                "TIMESTAMP(p)", "TIMESTAMP_LTZ(p)", "BIGINT");
        assertThat(failure("time-column", "site")).contains("key 'time-column'", "column 'site' is INT");
        assertThat(failure("time-column", "missing")).contains("key 'time-column'", "no column 'missing'");
    }

    @Test
    void aColumnHasOneRole() {
        assertThat(failure("tag-columns", "device", "field-columns", "device;temperature", "time-column", "ts"))
                .contains("key 'field-columns'", "column 'device' is a tag column too");
        assertThat(failure("tag-columns", "count", "time-column", "count")).contains("key 'tag-columns'",
                "column 'count' is the time column");
        assertThat(failure("field-columns", "ts", "time-column", "ts")).contains("key 'field-columns'",
                "column 'ts' is the time column");
        assertThat(failure("tag-columns", "device;device", "time-column", "ts")).contains("key 'tag-columns'",
                "column 'device' is listed twice");
        ResolvedSchema noFields = ResolvedSchema.physical(List.of("device", "ts"),
                List.<DataType>of(DataTypes.STRING(), DataTypes.TIMESTAMP(3)));
        assertThat(failure(noFields, "tag-columns", "device")).contains("key 'field-columns'",
                "expected at least one field column");
    }

    @Test
    void everySupportedTypeIsAcceptedAndOthersAreNot() {
        ResolvedSchema all = ResolvedSchema.physical(
                List.of("c", "vc", "tiny", "small", "i", "big", "d", "f", "dec", "b", "s", "t0", "t9", "ltz"),
                List.<DataType>of(DataTypes.CHAR(3), DataTypes.VARCHAR(10), DataTypes.TINYINT(), DataTypes.SMALLINT(),
                        DataTypes.INT(), DataTypes.BIGINT(), DataTypes.DOUBLE(), DataTypes.FLOAT(),
                        DataTypes.DECIMAL(10, 2), DataTypes.BOOLEAN(), DataTypes.STRING(), DataTypes.TIMESTAMP(0),
                        DataTypes.TIMESTAMP(9), DataTypes.TIMESTAMP_LTZ(3)));
        for (String time : List.of("t0", "t9", "ltz", "big")) {
            Map<String, String> options = options("tag-columns", time.equals("big") ? "c;vc;tiny;small;i"
                    : "c;vc;tiny;small;i;big", "field-columns", "d;f;dec;b;s", "time-column", time);
            assertThat(sink(all, options).mapper().toString()).endsWith("time " + time);
        }
        assertThat(sink(all, options("field-columns", "c;vc;tiny;small;i;big;d;f;dec;b;s", "time-column", null))
                .mapper().toString())
                .contains("fields [c, vc, tiny, small, i, big, d, f, dec, b, s]");
        ResolvedSchema odd = ResolvedSchema.physical(List.of("m", "a", "t", "v"), List.<DataType>of(
                DataTypes.MAP(DataTypes.STRING(), DataTypes.STRING()), DataTypes.ARRAY(DataTypes.INT()),
                DataTypes.TIME(), DataTypes.DOUBLE()));
        assertThat(failure(odd, "field-columns", "m", "time-column", null)).contains("key 'field-columns'", "column 'm' is MAP<STRING, STRING>");
        assertThat(failure(odd, "tag-columns", "a", "field-columns", "v", "time-column", null)).contains("key 'tag-columns'", "ARRAY<INT>");
        assertThat(failure(odd, "time-column", "t", "field-columns", "v")).contains("key 'time-column'", "TIME(0)");
    }

    @Test
    void aColumnNamedTimeCanOnlyBeTheTimeColumn() {
        ResolvedSchema schema = ResolvedSchema.physical(List.of("time", "v"),
                List.<DataType>of(DataTypes.TIMESTAMP_LTZ(3), DataTypes.DOUBLE()));
        assertThat(sink(schema, options("time-column", "time")).mapper().toString()).endsWith("time time");
        ResolvedSchema doubles = ResolvedSchema.physical(List.of("time", "v"),
                List.<DataType>of(DataTypes.DOUBLE(), DataTypes.DOUBLE()));
        assertThat(failure(doubles, "time-column", null)).contains("key 'field-columns'", "named 'time'");
        ResolvedSchema tagged = ResolvedSchema.physical(List.of("time", "v"),
                List.<DataType>of(DataTypes.STRING(), DataTypes.DOUBLE()));
        assertThat(failure(tagged, "tag-columns", "time", "time-column", null)).contains("key 'tag-columns'", "named 'time'");
    }

    @Test
    void theSinkIsInsertOnlyAndSerializable() throws Exception {
        InfluxDbDynamicSink table = sink("tag-columns", "device", "time-column", "ts");
        assertThat(table.getChangelogMode(ChangelogMode.all())).isEqualTo(ChangelogMode.insertOnly());
        assertThat(table.copy()).isInstanceOf(InfluxDbDynamicSink.class);
        DynamicTableSink.SinkRuntimeProvider provider = table.getSinkRuntimeProvider(null);
        assertThat(provider).isInstanceOf(SinkV2Provider.class);
        Object sink = ((SinkV2Provider) provider).createSink();
        assertThat(sink).isInstanceOf(InfluxDbSink.class);
        assertThat(InstantiationUtil.clone((InfluxDbSink<?>) sink)).isNotNull();
    }
}
