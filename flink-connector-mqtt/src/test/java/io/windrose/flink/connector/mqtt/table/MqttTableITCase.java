package io.windrose.flink.connector.mqtt.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.windrose.flink.connector.mqtt.testing.TestBroker;
import io.windrose.localcluster.MosquittoServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code 'connector' = 'mqtt'} tables in a streaming TableEnvironment on a mini-cluster, against the connector ITs'
 * Mosquitto, with a HiveMQ client on the other end: a source's metadata columns and event time, a sink's per-row
 * topic and MQTT 5 properties, csv / raw / avro round trips, and options the planner refuses.
 */
class MqttTableITCase {
    private static final MosquittoServer mosquitto = TestBroker.mosquitto();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final MiniClusterExtension cluster = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    private StreamTableEnvironment tableEnv;
    private String prefix;

    @BeforeEach
    void setUp() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        tableEnv = StreamTableEnvironment.create(env);
        tableEnv.getConfig().setLocalTimeZone(ZoneOffset.UTC); // window starts are TIMESTAMPs in this zone
        prefix = "sql-" + UUID.randomUUID();
    }

    @Test
    void aSourceTableReadsThePayloadAndEveryMetadataColumn() throws Exception {
        tableEnv.executeSql("CREATE TABLE readings (device STRING, temp DOUBLE,"
                + " `topic` STRING NOT NULL METADATA VIRTUAL, qos INT NOT NULL METADATA VIRTUAL,"
                + " retained BOOLEAN NOT NULL METADATA VIRTUAL,"
                + " received_at TIMESTAMP_LTZ(3) NOT NULL METADATA FROM 'received-at' VIRTUAL,"
                + " props MAP<STRING, STRING> METADATA FROM 'user-properties' VIRTUAL,"
                + " content_type STRING METADATA FROM 'content-type' VIRTUAL)"
                + " WITH (" + source(prefix + "-in", prefix + "/#", "json") + ")");
        Mqtt5BlockingClient device = client();
        // retained before the job subscribes: delivered at subscription, flagged retained
        device.publishWith().topic(prefix + "/kept").qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload(bytes("{\"device\":\"k\",\"temp\":0.5}")).send();
        Instant before = Instant.now();
        List<Row> rows = collect("SELECT device, temp, `topic`, qos, retained, received_at, props, content_type"
                + " FROM readings", prefix + "-in", prefix + "/#", 3, () -> {
                    device.publishWith().topic(prefix + "/d1").qos(MqttQos.AT_LEAST_ONCE)
                            .payload(bytes("{\"device\":\"d1\",\"temp\":21.5}")).contentType("application/json")
                            .userProperties().add("site", "north").add("unit", "C").add("site", "south")
                            .applyUserProperties().send();
                    device.publishWith().topic(prefix + "/d2").qos(MqttQos.AT_MOST_ONCE)
                            .payload(bytes("{\"device\":\"d2\",\"temp\":-3.0}")).send();
                });
        clearRetained(device, prefix + "/kept");
        device.disconnect();
        Instant after = Instant.now();
        assertThat(rows).extracting(r -> r.getField("device"), r -> r.getField("temp"), r -> r.getField("topic"),
                r -> r.getField("qos"), r -> r.getField("retained"), r -> r.getField("props"),
                r -> r.getField("content_type")).containsExactly(
                        tuple("k", 0.5, prefix + "/kept", 1, true, Map.of(), null),
                        tuple("d1", 21.5, prefix + "/d1", 1, false,
                                Map.of("site", "south", "unit", "C"), "application/json"),
                        tuple("d2", -3.0, prefix + "/d2", 0, false, Map.of(), null));
        assertThat(rows).allSatisfy(r -> assertThat((Instant) r.getField("received_at"))
                .isBetween(before.minusSeconds(1), after));
    }

    @Test
    void anEventTimeTumbleWindowOverTheJsonTimestampCountsEachMinute() throws Exception {
        tableEnv.executeSql("CREATE TABLE readings (device STRING, temp DOUBLE, ts BIGINT,"
                + " event_time AS TO_TIMESTAMP_LTZ(ts, 3),"
                + " WATERMARK FOR event_time AS event_time - INTERVAL '30' SECOND)"
                + " WITH (" + source(prefix + "-in", prefix + "/#", "json") + ")");
        long minute = 1_700_000_040_000L; // a whole minute
        List<Row> windows = collect("SELECT window_start, COUNT(*) AS n, SUM(temp) AS total FROM TABLE(TUMBLE("
                + "TABLE readings, DESCRIPTOR(event_time), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end",
                prefix + "-in", prefix + "/#", 2, () -> {
                    Mqtt5BlockingClient device = client();
                    // 20 s out of order (within the watermark's 30 s); the last one's watermark closes two windows
                    for (long[] reading : new long[][] {{5_000, 1}, {40_000, 2}, {20_000, 4}, {60_000, 10},
                            {119_000, 20}, {185_000, 100}}) {
                        device.publishWith().topic(prefix + "/d").qos(MqttQos.AT_LEAST_ONCE)
                                .payload(bytes("{\"device\":\"d\",\"temp\":" + reading[1] + ",\"ts\":"
                                        + (minute + reading[0]) + "}")).send();
                    }
                    device.disconnect();
                });
        assertThat(windows).extracting(r -> r.getField("window_start"), r -> r.getField("n"), r -> r.getField("total"))
                .containsExactly(
                        tuple(utc(minute), 3L, 7.0),
                        tuple(utc(minute + 60_000), 2L, 30.0));
    }

    @Test
    void aSinkPublishesEachRowToItsTopicWithItsMqtt5Properties() throws Exception {
        tableEnv.executeSql("CREATE TABLE commands (device STRING, setpoint DOUBLE,"
                + " `topic` STRING METADATA, qos INT METADATA, `retain` BOOLEAN METADATA,"
                + " props MAP<STRING, STRING> METADATA FROM 'user-properties',"
                + " expiry BIGINT METADATA FROM 'message-expiry')"
                + " WITH (" + sink(prefix + "-out", prefix + "/default", "json") + ", 'qos' = '2')");
        Mqtt5BlockingClient subscriber = client();
        try (Mqtt5BlockingClient.Mqtt5Publishes received = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber.subscribeWith().topicFilter(prefix + "/#").qos(MqttQos.EXACTLY_ONCE).send();
            tableEnv.executeSql("INSERT INTO commands VALUES"
                    + " ('d1', 20.5, '" + prefix + "/d1', 1, FALSE, MAP['site', 'north', 'unit', 'C'], 3600),"
                    + " ('d2', 18.0, CAST(NULL AS STRING), CAST(NULL AS INT), TRUE, CAST(NULL AS MAP<STRING, STRING>),"
                    + " CAST(NULL AS BIGINT))").await(60, TimeUnit.SECONDS);
            List<Mqtt5Publish> messages = receive(received, 2);
            messages.sort(Comparator.comparing(m -> m.getTopic().toString()));
            Mqtt5Publish d1 = messages.get(0);
            Mqtt5Publish d2 = messages.get(1);
            assertThat(d1.getTopic().toString()).isEqualTo(prefix + "/d1");
            assertThat(text(d1)).isEqualTo("{\"device\":\"d1\",\"setpoint\":20.5}");
            assertThat(d1.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
            assertThat(d1.getUserProperties().asList()).extracting(p -> p.getName() + "=" + p.getValue())
                    .containsExactlyInAnyOrder("site=north", "unit=C");
            assertThat(d1.getMessageExpiryInterval().orElseThrow()).isBetween(3_590L, 3_600L);
            // no topic, qos, expiry of its own: the table's topic and qos; no expiry
            assertThat(d2.getTopic().toString()).isEqualTo(prefix + "/default");
            assertThat(text(d2)).isEqualTo("{\"device\":\"d2\",\"setpoint\":18.0}");
            assertThat(d2.getQos()).isEqualTo(MqttQos.EXACTLY_ONCE);
            assertThat(d2.getUserProperties().asList()).isEmpty();
            assertThat(d2.getMessageExpiryInterval()).isEmpty();
        } finally {
            subscriber.disconnect();
        }
        // retained: a later subscriber gets d2 (and only d2) from the broker's store
        Mqtt5BlockingClient late = client();
        try (Mqtt5BlockingClient.Mqtt5Publishes received = late.publishes(MqttGlobalPublishFilter.ALL)) {
            late.subscribeWith().topicFilter(prefix + "/#").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5Publish kept = receive(received, 1).get(0);
            assertThat(kept.getTopic().toString()).isEqualTo(prefix + "/default");
            assertThat(kept.isRetain()).isTrue();
            assertThat(received.receive(500, TimeUnit.MILLISECONDS)).as("d1 was not retained").isEmpty();
            clearRetained(late, prefix + "/default");
        } finally {
            late.disconnect();
        }
    }

    @Test
    void csvRoundTrip() throws Exception {
        // csv writes a null as the null literal: empty by default, which reads back as an empty string
        roundTrip("csv", "'csv.null-literal' = '<null>'", "device STRING, note STRING, temp DOUBLE, n BIGINT, ok BOOLEAN",
                "('d1', 'a, \"quoted\" note', 21.5, 7, TRUE), ('d2', CAST(NULL AS STRING), -1.25, 0, FALSE)",
                List.of(Arrays.asList("d1", "a, \"quoted\" note", 21.5, 7L, true),
                        Arrays.asList("d2", null, -1.25, 0L, false)));
    }

    @Test
    void rawRoundTrip() throws Exception {
        roundTrip("raw", "'raw.charset' = 'UTF-8'", "line STRING", "('Grüße, 21.5 °C'), ('second line')",
                List.of(List.of("Grüße, 21.5 °C"), List.of("second line")));
    }

    @Test
    void avroRoundTrip() throws Exception {
        roundTrip("avro", "'avro.encoding' = 'binary'", "device STRING, temp DOUBLE, n BIGINT, ok BOOLEAN,"
                + " tags ARRAY<STRING>",
                "('d1', 21.5, 7, TRUE, ARRAY['a', 'b']), ('d2', CAST(NULL AS DOUBLE), 0, FALSE, ARRAY['c'])",
                List.of(Arrays.asList("d1", 21.5, 7L, true, List.of("a", "b")),
                        Arrays.asList("d2", null, 0L, false, List.of("c"))));
    }

    @Test
    void anUnknownOptionIsRefusedNamingIt() {
        tableEnv.executeSql("CREATE TABLE t (device STRING) WITH (" + source(prefix + "-in", prefix + "/#", "json")
                + ", 'topic' = 'x', 'topicz' = 'typo')");
        assertThatThrownBy(() -> tableEnv.executeSql("SELECT * FROM t")).isInstanceOf(ValidationException.class)
                .rootCause().isInstanceOf(ValidationException.class)
                .hasMessageContaining("Unsupported options:\n\ntopicz\n");
        assertThatThrownBy(() -> tableEnv.executeSql("INSERT INTO t VALUES ('d')")).isInstanceOf(ValidationException.class)
                .rootCause().hasMessageContaining("Unsupported options:\n\ntopicz\n");
    }

    @Test
    void aSinkWithoutATopicOptionOrColumnIsRefusedBeforeItRuns() {
        tableEnv.executeSql("CREATE TABLE t (device STRING) WITH (" + source(prefix + "-out", prefix + "/#", "json")
                + ")");
        assertThatThrownBy(() -> tableEnv.executeSql("INSERT INTO t VALUES ('d')"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("needs a 'topic' option (the default topic) or a 'topic' metadata column");
    }

    /** Rows inserted through a sink table come back, decoded alike, through a source table of the same format. */
    private void roundTrip(String format, String formatOptions, String columns, String values,
            List<List<Object>> expected) throws Exception {
        tableEnv.executeSql("CREATE TABLE sink_table (" + columns + ") WITH ("
                + sink(prefix + "-out", prefix + "/" + format, format) + ", " + formatOptions + ")");
        tableEnv.executeSql("CREATE TABLE source_table (" + columns + ") WITH ("
                + source(prefix + "-in", prefix + "/#", format) + ", " + formatOptions + ")");
        List<Row> rows = collect("SELECT * FROM source_table", prefix + "-in", prefix + "/#", expected.size(),
                () -> {
                    try {
                        tableEnv.executeSql("INSERT INTO sink_table VALUES " + values).await(60, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        assertThat(rows).extracting(MqttTableITCase::fields).containsExactlyElementsOf(expected);
    }

    /**
     * Runs a streaming query, publishes once its reader subscribed (Mosquitto logs the subscription), and returns its
     * first n rows; closing the iterator cancels the job.
     */
    private List<Row> collect(String query, String clientIdPrefix, String filter, int n, Runnable publish)
            throws Exception {
        TableResult result = tableEnv.executeSql(query);
        try (CloseableIterator<Row> rows = result.collect()) {
            mosquitto.awaitSubscription(clientIdPrefix, filter, WAIT);
            publish.run();
            List<Row> received = new ArrayList<>();
            while (received.size() < n && rows.hasNext()) {
                received.add(rows.next());
            }
            return received;
        }
    }

    private static String source(String clientIdPrefix, String topics, String format) {
        return "'connector' = 'mqtt', 'servers' = '" + mosquitto.uri() + "', 'client-id-prefix' = '" + clientIdPrefix
                + "', 'topics' = '" + topics + "', 'session-expiry' = '10 s', 'format' = '" + format + "'";
    }

    private static String sink(String clientIdPrefix, String topic, String format) {
        return "'connector' = 'mqtt', 'servers' = '" + mosquitto.uri() + "', 'client-id-prefix' = '" + clientIdPrefix
                + "', 'topic' = '" + topic + "', 'format' = '" + format + "'";
    }

    private static List<Mqtt5Publish> receive(Mqtt5BlockingClient.Mqtt5Publishes publishes, int n)
            throws InterruptedException {
        List<Mqtt5Publish> messages = new ArrayList<>();
        while (messages.size() < n) {
            Optional<Mqtt5Publish> next = publishes.receive(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(next).as("message " + (messages.size() + 1) + " of " + n + " within " + WAIT).isPresent();
            messages.add(next.get());
        }
        return messages;
    }

    private static void clearRetained(Mqtt5BlockingClient client, String topic) {
        client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(new byte[0]).send();
    }

    private static Mqtt5BlockingClient client() {
        Mqtt5BlockingClient client = MqttClient.builder().identifier("sql-device-" + UUID.randomUUID())
                .serverHost("127.0.0.1").serverPort(mosquitto.port()).useMqttVersion5().buildBlocking();
        client.connect();
        return client;
    }

    /** A row's values by position, an array as a list. */
    private static List<Object> fields(Row row) {
        List<Object> fields = new ArrayList<>();
        for (int i = 0; i < row.getArity(); i++) {
            Object value = row.getField(i);
            fields.add(value instanceof Object[] array ? List.of(array) : value);
        }
        return fields;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static LocalDateTime utc(long epochMillis) {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }

    private static String text(Mqtt5Publish publish) {
        return new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }
}
