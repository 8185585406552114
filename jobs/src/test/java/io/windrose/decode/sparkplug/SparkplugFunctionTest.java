package io.windrose.decode.sparkplug;

import static io.windrose.decode.sparkplug.Payloads.byAlias;
import static io.windrose.decode.sparkplug.Payloads.payload;
import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.decode.sparkplug.proto.SparkplugBProto.Payload;
import io.windrose.mqtt.MqttMessage;
import io.windrose.schema.DeadLetter;
import io.windrose.reading.SensorReadings;
import io.windrose.schema.SensorReading;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/** {@link SparkplugFunction} in Flink's keyed operator harness: readings, side outputs, snapshot and restore. */
class SparkplugFunctionTest {
    private static final long T0 = 1_764_144_000_000L;

    private static KeyedOneInputStreamOperatorTestHarness<String, MqttMessage, SensorReading> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SparkplugFunction("plant", SparkplugOptions.DEFAULTS, 1024)),
                SparkplugFunction.KEY, Types.STRING);
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<String, MqttMessage, SensorReading> h, String topic,
            byte[] payload, long receivedAt) throws Exception {
        h.processElement(new MqttMessage(topic, payload, receivedAt), receivedAt);
    }

    private static <T> List<T> side(KeyedOneInputStreamOperatorTestHarness<String, MqttMessage, SensorReading> h,
            OutputTag<T> tag) {
        var queue = h.getSideOutput(tag);
        return queue == null ? List.of() : queue.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void aRestartBetweenBirthAndDataStillDecodesByAlias() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            send(h, "spBv1.0/plant-1/NBIRTH/edge-a", Payloads.nbirth(T0, 3), T0);
            send(h, "spBv1.0/plant-1/DBIRTH/edge-a/pump", Payloads.dbirth(T0, 1), T0);
            assertThat(h.extractOutputValues()).filteredOn(SensorReadings::isStateMarker)
                    .extracting(r -> r.getSensorId() + " " + (SensorReadings.isOffline(r) ? "offline" : "online"))
                    .as("births as state markers among the readings").containsExactly("edge-a online", "edge-a/pump online");
            assertThat(h.extractOutputValues()).filteredOn(SensorReadings::isDeviceReading)
                    .extracting(SensorReading::getSensorId, SensorReading::getFields)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("edge-a", Map.of("Temperature", 20.5, "Running", 1.0)),
                            org.assertj.core.groups.Tuple.tuple("edge-a/pump", Map.of("Pressure", 1.5, "Count", 7.0)));
            assertThat(side(h, SparkplugFunction.STATUS)).extracting(Object::toString)
                    .containsExactly("edge-a online", "edge-a/pump online");
            snapshot = h.snapshot(1L, T0);
        }
        try (var restored = harness()) {
            restored.initializeState(snapshot);
            restored.open();
            byte[] ddata = payload(T0 + 1_000, 2).addMetrics(byAlias(10).setDoubleValue(2.25))
                    .addMetrics(byAlias(11).setIntValue(9).setTimestamp(T0 + 500)).build().toByteArray();
            send(restored, "spBv1.0/plant-1/DDATA/edge-a/pump", ddata, T0 + 1_100);
            List<SensorReading> out = restored.extractOutputValues().stream()
                    .filter(SensorReadings::isDeviceReading).toList();
            assertThat(out).hasSize(2); // two event times in one message
            SensorReading first = out.get(0);
            assertThat(first.getMeasurement()).isEqualTo("plant");
            assertThat(first.getSensorId()).isEqualTo("edge-a/pump");
            assertThat(first.getTags()).containsExactlyInAnyOrderEntriesOf(
                    Map.of("group", "plant-1", "edge_node", "edge-a", "device", "pump"));
            assertThat(first.getEventTime().toEpochMilli()).isEqualTo(T0 + 1_000);
            assertThat(first.getFields()).containsExactlyEntriesOf(Map.of("Pressure", 2.25));
            assertThat(out.get(1).getEventTime().toEpochMilli()).isEqualTo(T0 + 500);
            assertThat(out.get(1).getFields()).containsExactlyEntriesOf(Map.of("Count", 9.0));
            assertThat(out.get(1).getTopic()).isEqualTo("spBv1.0/plant-1/DDATA/edge-a/pump");
            assertThat(side(restored, SparkplugFunction.DEAD_LETTERS)).isEmpty();
        }
    }

    @Test
    void dataWhoseMetricsTheRouteLeavesAllOutIsANoFieldsDeadLetterNotLost() throws Exception {
        io.windrose.decode.RouteConfig config = new io.windrose.decode.RouteConfig();
        config.name = "plant";
        config.format = io.windrose.decode.PayloadFormat.SPARKPLUG_B;
        config.topics = List.of("spBv1.0/#");
        config.fields.exclude = List.of("Pressure", "Count");
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new SparkplugFunction(
                List.of(SparkplugRoute.of(config, 1 << 20)), java.time.Duration.ofMinutes(1), 1024)),
                SparkplugFunction.KEY, Types.STRING)) {
            h.open();
            send(h, "spBv1.0/g/NBIRTH/n", Payloads.nbirth(T0, 3), T0);
            send(h, "spBv1.0/g/DBIRTH/n/d", Payloads.dbirth(T0, 1), T0);
            send(h, "spBv1.0/g/DDATA/n/d", Payloads.ddata(T0, 2, 2.5), T0 + 1);
            assertThat(side(h, SparkplugFunction.DEAD_LETTERS)).extracting(DeadLetter::getReason)
                    .containsExactly("NO_FIELDS");
        }
    }

    @Test
    void anUnknownAliasIsADeadLetterAndOneRebirthRequest() throws Exception {
        try (var h = harness()) {
            h.open();
            send(h, "spBv1.0/g/NBIRTH/n", Payloads.nbirth(T0, 3), T0);
            byte[] unknown = payload(T0, 1).addMetrics(byAlias(42).setFloatValue(1)).build().toByteArray();
            send(h, "spBv1.0/g/NDATA/n", unknown, T0 + 1);
            send(h, "spBv1.0/g/NDATA/n", Payloads.ndata(T0, 2, 1f), T0 + 2);
            List<DeadLetter> dead = side(h, SparkplugFunction.DEAD_LETTERS);
            assertThat(dead).extracting(DeadLetter::getReason)
                    .containsExactly("SPARKPLUG_UNKNOWN_ALIAS", "SPARKPLUG_UNKNOWN_ALIAS");
            assertThat(dead.get(0).getDetail()).contains("alias 42 is not in the birth");
            assertThat(dead.get(0).getSensorId()).isEqualTo("n");
            List<MqttMessage> requests = side(h, SparkplugFunction.REBIRTH_REQUESTS);
            assertThat(requests).hasSize(1);
            assertThat(requests.get(0).topic).isEqualTo("spBv1.0/g/NCMD/n");
            assertThat(Payload.parseFrom(requests.get(0).payload).getMetrics(0).getName()).isEqualTo("Node Control/Rebirth");
            // our own NCMD coming back through the subscription is not data
            send(h, requests.get(0).topic, requests.get(0).payload, T0 + 3);
            assertThat(side(h, SparkplugFunction.DEAD_LETTERS)).hasSize(2);
        }
    }

    @Test
    void aNodeDeathTakesItsDevicesOffline() throws Exception {
        try (var h = harness()) {
            h.open();
            send(h, "spBv1.0/g/NBIRTH/n", Payloads.nbirth(T0, 3), T0);
            send(h, "spBv1.0/g/DBIRTH/n/d1", Payloads.dbirth(T0, 1), T0);
            send(h, "spBv1.0/g/DBIRTH/n/d2", Payloads.dbirth(T0, 2), T0);
            send(h, "spBv1.0/g/NDEATH/n", Payloads.ndeath(2), T0 + 5); // an earlier session's will
            send(h, "spBv1.0/g/DDEATH/n/d1", Payloads.ddeath(T0, 3), T0 + 6);
            send(h, "spBv1.0/g/NDEATH/n", Payloads.ndeath(3), T0 + 7);
            assertThat(side(h, SparkplugFunction.STATUS)).extracting(s -> s + " " + s.time).containsExactly(
                    "n online " + T0, "n/d1 online " + T0, "n/d2 online " + T0,
                    "n/d1 offline " + (T0 + 6), "n offline " + (T0 + 7), "n/d2 offline " + (T0 + 7));
        }
    }

    @Test
    void metricTimesFurtherAheadOfTheArrivalThanTheMaxFutureSkewAreADeadLetterAsForEveryRoute() throws Exception {
        try (var h = harness()) { // the default event-time.max-future-skew: 1 minute
            h.open();
            send(h, "spBv1.0/g/NBIRTH/n", Payloads.nbirth(T0, 3), T0);
            send(h, "spBv1.0/g/DBIRTH/n/d", Payloads.dbirth(T0, 1), T0);
            send(h, "spBv1.0/g/DDATA/n/d", Payloads.ddata(T0 + 60_000, 2, 2.0), T0); // a minute ahead: still fine
            // a node whose clock is an hour ahead would move the watermark for everyone: its data cannot be read
            byte[] ahead = payload(T0, 3).addMetrics(byAlias(10).setDoubleValue(3.0))
                    .addMetrics(byAlias(11).setIntValue(8).setTimestamp(T0 + 3_600_000)).build().toByteArray();
            send(h, "spBv1.0/g/DDATA/n/d", ahead, T0);
            send(h, "spBv1.0/g/DDATA/n/d", Payloads.ddata(T0 + 1_000, 4, 4.0), T0 + 1_000);
            assertThat(h.extractOutputValues()).filteredOn(SensorReadings::isDeviceReading)
                    .filteredOn(r -> r.getSensorId().equals("n/d"))
                    .extracting(r -> r.getEventTime().toEpochMilli() - T0 + " " + r.getFields().get("Pressure"))
                    .containsExactly("0 1.5", "60000 2.0", "1000 4.0");
            List<DeadLetter> dead = side(h, SparkplugFunction.DEAD_LETTERS);
            assertThat(dead).extracting(DeadLetter::getReason, DeadLetter::getSensorId)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("FUTURE_TIMESTAMP", "n/d"));
            assertThat(dead.get(0).getDetail()).contains("3600000 ms ahead", "event-time.max-future-skew");
            assertThat(side(h, SparkplugFunction.REBIRTH_REQUESTS)).as("not the node's session's fault").isEmpty();
        }
    }

    @Test
    void sideOutputsAreNotSerializedAsGenericTypes() {
        // Kryo (the generic fallback) is slow and breaks on upgrades: POJOs and Avro only
        assertThat(SparkplugFunction.STATUS.getTypeInfo()).isInstanceOf(org.apache.flink.api.java.typeutils.PojoTypeInfo.class);
        assertThat(SparkplugFunction.REBIRTH_REQUESTS.getTypeInfo())
                .isInstanceOf(org.apache.flink.api.java.typeutils.PojoTypeInfo.class);
        assertThat(SparkplugFunction.DEAD_LETTERS.getTypeInfo())
                .isInstanceOf(org.apache.flink.formats.avro.typeutils.AvroTypeInfo.class);
    }

    @Test
    void badTopicsAndPayloadsAreDeadLettersAndDataWithoutNumbersIsNoFields() throws Exception {
        try (var h = harness()) {
            h.open();
            send(h, "spBv1.0/g/NOPE/n", new byte[] {1}, T0);
            send(h, "spBv1.0/g/NBIRTH/n", new byte[] {(byte) 0xff, 0x01}, T0);
            send(h, "spBv1.0/g/NBIRTH/n", Payloads.nbirth(T0, 3), T0);
            byte[] nullsOnly = payload(T0, 1).addMetrics(byAlias(1).setIsNull(true)).build().toByteArray();
            send(h, "spBv1.0/g/NDATA/n", nullsOnly, T0);
            assertThat(side(h, SparkplugFunction.DEAD_LETTERS)).extracting(DeadLetter::getReason)
                    .containsExactly("UNROUTED", "SPARKPLUG_BAD_PAYLOAD", "NO_FIELDS");
            assertThat(side(h, SparkplugFunction.DEAD_LETTERS).get(2).getDetail()).contains("Temperature: null");
        }
    }
}
