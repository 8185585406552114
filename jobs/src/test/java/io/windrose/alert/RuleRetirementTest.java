package io.windrose.alert;

import static io.windrose.alert.AlertHarness.open;
import static io.windrose.alert.AlertHarness.rules;
import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.alert.state.RuleUpdate;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.AlertState;
import io.windrose.schema.SensorReading;
import io.windrose.window.SensorKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** A rule deleted at runtime clears its raised alerts under the sensor they were raised for, whatever its key holds. */
class RuleRetirementTest {
    @Test
    void aDeletedRuleClearsItsAlertsForMeasurementsAndSensorIdsWithASlash() throws Exception {
        RuleBook book = rules("[{name: hot, field: temperature, above: 30}]");
        // "plant/hall" + "/" + "s/1" and "plant" + "/" + "x": the longest measurement the key starts with is the sensor's
        try (var h = open(new KeyedBroadcastOperatorTestHarness<>(new RuleBroadcastOperator<>(
                new ReadingAlertFunction(book, List.of("plant", "plant/hall"))), new SensorKey(), Types.STRING, 1, 1, 0))) {
            h.processElement(reading("plant/hall", "s/1", 31), 1_000);
            h.processElement(reading("plant", "x", 32), 1_000);
            h.processBroadcastElement(new RuleUpdate("hot", null, 3L, null), 1);
            List<AlertEvent> cleared = h.extractOutputValues().stream()
                    .filter(event -> event.getState() == AlertState.CLEARED).toList();
            assertThat(cleared).extracting(event -> event.getMeasurement() + " | " + event.getSensorId())
                    .containsExactlyInAnyOrder("plant/hall | s/1", "plant | x");
        }
    }

    @Test
    void theMeasurementOfAKeyIsTheLongestKnownOneItStartsWithElseWhatComesBeforeTheFirstSlash() {
        assertThat(RuleRetirement.measurement("plant/hall/s/1", List.of("plant", "plant/hall"))).isEqualTo("plant/hall");
        assertThat(RuleRetirement.measurement("plant/s/1", List.of("plant", "plant/hall"))).isEqualTo("plant");
        assertThat(RuleRetirement.measurement("plant/hallway/1", List.of("plant", "plant/hall"))).isEqualTo("plant");
        assertThat(RuleRetirement.measurement("m/s/1", List.of())).isEqualTo("m");
    }

    private static SensorReading reading(String measurement, String sensor, double temperature) {
        return SensorReading.newBuilder().setMeasurement(measurement).setSensorId(sensor).setTags(Map.of())
                .setEventTime(Instant.ofEpochMilli(1_000)).setFields(Map.of("temperature", temperature))
                .setTopic(measurement + "/" + sensor).build();
    }
}
