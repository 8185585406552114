package io.windrose.alert;

import static io.windrose.alert.AlertHarness.events;
import static io.windrose.alert.AlertHarness.rules;
import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.reading.SensorReadings;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.SensorReading;
import io.windrose.testing.Readings;
import io.windrose.window.SensorKey;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Deadman rules over history run in event time: RAISED at the last reading's time plus {@code after} when no reading
 * came in between, CLEARED at the next reading's time; an expected sensor that sends nothing is RAISED at the start of
 * the history plus {@code after}; nothing is raised at or after the end. (The other kinds equal the live job's:
 * {@link HistoryAlertsEqualLiveTest}.)
 */
class HistoryAlertFunctionTest {
    private static final long FROM = 1_000_000L;

    private static KeyedOneInputStreamOperatorTestHarness<String, Tuple2<SensorReading, Long>, AlertEvent> harness(
            String rules, long horizon) throws Exception {
        return harness(rules, horizon, Map.of());
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Tuple2<SensorReading, Long>, AlertEvent> harness(
            String rules, long horizon, Map<String, Set<String>> expected) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new HistoryAlertFunction(rules(rules), FROM, horizon, expected)),
                (Tuple2<SensorReading, Long> stamped) -> new SensorKey().getKey(stamped.f0), Types.STRING);
        h.open();
        return h;
    }

    private static void reading(KeyedOneInputStreamOperatorTestHarness<String, Tuple2<SensorReading, Long>, AlertEvent> h,
            String sensor, long time) throws Exception {
        h.processElement(Tuple2.of(Readings.of(sensor, time, "temperature", 20), time), time);
        h.processWatermark(new Watermark(time));
    }

    private static List<String> times(List<AlertEvent> events) {
        return events.stream().map(e -> e.getState() + "@" + (e.getEventTime().toEpochMilli() - FROM) / 1000 + "s "
                + AlertEvents.number(e.getValue())).toList();
    }

    @Test
    void aSilenceLongerThanAfterRaisesAtItsStartPlusAfterAndTheNextReadingClears() throws Exception {
        try (var h = harness("[{name: silent, kind: deadman, after: 20s}]", FROM + 200_000)) {
            for (long at : new long[] {0, 10, 50, 55}) {
                reading(h, "s-1", FROM + at * 1000);
            }
            h.processWatermark(new Watermark(FROM + 200_000));
            assertThat(times(h.extractOutputValues())).containsExactly(
                    "RAISED@30s 20", "CLEARED@50s 40", "RAISED@75s 20");
            assertThat(events(h.extractOutputValues())).first().asString().startsWith("s-1 silent RAISED warning");
        }
    }

    @Test
    void nothingIsRaisedAtOrAfterTheEndOfTheHistory() throws Exception {
        try (var h = harness("[{name: silent, kind: deadman, after: 20s}]", FROM + 75_000)) {
            for (long at : new long[] {0, 10, 50, 55}) {
                reading(h, "s-1", FROM + at * 1000);
            }
            h.processWatermark(new Watermark(Long.MAX_VALUE)); // the end of a bounded input
            assertThat(times(h.extractOutputValues())).containsExactly("RAISED@30s 20", "CLEARED@50s 40");
        }
    }

    @Test
    void anOlderReadingDoesNotEndASilence() throws Exception {
        try (var h = harness("[{name: silent, kind: deadman, after: 20s}]", Long.MAX_VALUE)) {
            reading(h, "s-1", FROM);
            h.processElement(Tuple2.of(Readings.of("s-1", FROM - 5_000, "temperature", 20), FROM), FROM - 5_000);
            h.processWatermark(new Watermark(FROM + 30_000));
            assertThat(times(h.extractOutputValues())).containsExactly("RAISED@20s 20");
        }
    }

    @Test
    void aReadingBehindARaiseClearsItWhereItWasRaisedNotBefore() throws Exception {
        try (var h = harness("[{name: silent, kind: deadman, after: 20s}]", Long.MAX_VALUE)) {
            reading(h, "s-1", FROM);
            h.processWatermark(new Watermark(FROM + 25_000)); // raised at 20 s
            // a reading from inside the silence, archived after the watermark had passed it
            h.processElement(Tuple2.of(Readings.of("s-1", FROM + 10_000, "temperature", 20), FROM + 25_000), FROM + 10_000);
            assertThat(times(h.extractOutputValues())).containsExactly("RAISED@20s 20", "CLEARED@20s 20");
        }
    }

    @Test
    void anExpectedSensorIsSilentFromTheStartWhetherItsMarkerOrItsFirstReadingComesFirst() throws Exception {
        Map<String, Set<String>> expected = Map.of("silent", Set.of("m/s-9"));
        for (boolean markerFirst : new boolean[] {true, false}) {
            try (var h = harness("[{name: silent, kind: deadman, after: 20s}]", Long.MAX_VALUE, expected)) {
                SensorReading marker = SensorReadings.expectedMarker("silent", "m", "s-9", Map.of("site", "a"));
                if (markerFirst) {
                    h.processElement(Tuple2.of(marker, Long.MIN_VALUE), 0);
                }
                h.processElement(Tuple2.of(Readings.of("s-9", FROM + 40_000, "temperature", 20), FROM), FROM + 40_000);
                if (!markerFirst) {
                    h.processElement(Tuple2.of(marker, Long.MIN_VALUE), 0);
                }
                h.processWatermark(new Watermark(FROM + 45_000));
                assertThat(times(h.extractOutputValues())).as(markerFirst ? "marker first" : "reading first")
                        .containsExactly("RAISED@20s 20", "CLEARED@40s 40");
            }
        }
    }

    @Test
    void anExpectedSensorThatSendsNothingIsRaisedAtTheStartPlusAfter() throws Exception {
        try (var h = harness("[{name: silent, kind: deadman, after: 20s}]", Long.MAX_VALUE)) {
            h.processElement(Tuple2.of(SensorReadings.expectedMarker("silent", "m", "s-9", Map.of("site", "a")),
                    Long.MIN_VALUE), 0);
            h.processElement(Tuple2.of(SensorReadings.expectedMarker("other", "m", "s-8", Map.of("site", "a")),
                    Long.MIN_VALUE), 0);
            h.processWatermark(new Watermark(FROM + 30_000));
            reading(h, "s-9", FROM + 40_000);
            assertThat(events(h.extractOutputValues())).containsExactly("s-9 silent RAISED warning 20",
                    "s-9 silent CLEARED warning from warning 40");
            assertThat(times(h.extractOutputValues())).containsExactly("RAISED@20s 20", "CLEARED@40s 40");
        }
    }

    @Test
    void aMarkerAfterTheSensorsReadingsChangesNothing() throws Exception {
        try (var h = harness("[{name: silent, kind: deadman, after: 20s}]", Long.MAX_VALUE)) {
            reading(h, "s-9", FROM + 10_000);
            h.processElement(Tuple2.of(SensorReadings.expectedMarker("silent", "m", "s-9", Map.of("site", "a")),
                    Long.MIN_VALUE), 0);
            h.processWatermark(new Watermark(FROM + 31_000));
            assertThat(times(h.extractOutputValues())).containsExactly("RAISED@30s 20");
        }
    }
}
