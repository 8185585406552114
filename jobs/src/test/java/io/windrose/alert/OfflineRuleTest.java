package io.windrose.alert;

import static io.windrose.alert.AlertHarness.events;
import static io.windrose.alert.AlertHarness.harness;
import static io.windrose.alert.AlertHarness.open;
import static io.windrose.alert.AlertHarness.reading;
import static io.windrose.alert.AlertHarness.rules;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.windrose.config.ConfigException;
import io.windrose.reading.SensorReadings;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.SensorReading;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** {@code kind: offline}: a sensor's own word that it is gone (a state marker) raises at once; its return clears. */
class OfflineRuleTest {
    @Test
    void aDeathRaisesAtOnceTheBirthClearsAndReadingsChangeNothing() throws Exception {
        try (var h = open(harness(rules("[{name: offline, kind: offline, level: critical}]")))) {
            state(h, "n1/d1", 5_000, true);
            state(h, "n1/d1", 6_000, true); // said again: no second alert
            reading(h, "n1/d1", 7_000, 20); // a reading is no return
            state(h, "n1/d2", 7_000, false); // a birth of a device that was never gone: nothing
            state(h, "n1/d1", 9_000, false);
            var events = h.extractOutputValues();
            assertThat(events(events)).containsExactly("n1/d1 offline RAISED critical 1", "n1/d1 offline CLEARED critical from critical 0");
            assertThat(events).extracting(AlertEvent::getMessage).containsExactly(
                    "offline RAISED (critical): n1/d1 is offline", "offline CLEARED (critical): n1/d1 is back online");
            assertThat(events.get(0).getEventTime().toEpochMilli()).isEqualTo(5_000);
            assertThat(events.get(1).getDurationMs()).isEqualTo(4_000);
            assertThat(events.get(0).getKind()).isEqualTo("offline");
        }
    }

    @Test
    void theScopeAppliesAndOtherKindsIgnoreStateMarkers() throws Exception {
        try (var h = open(harness(rules("[{name: offline, kind: offline, sensors: 'plant/*'},"
                + " {name: hot, field: temperature, above: 30}]")))) {
            state(h, "lab/d1", 1_000, true);
            state(h, "plant/d1", 1_000, true);
            assertThat(events(h.extractOutputValues())).containsExactly("plant/d1 offline RAISED warning 1");
        }
    }

    @Test
    void anOfflineAlertSurvivesSnapshotAndRestore() throws Exception {
        RuleBook rules = rules("[{name: offline, kind: offline}]");
        OperatorSubtaskState snapshot;
        try (var h = open(harness(rules))) {
            state(h, "n1/d1", 1_000, true);
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = harness(rules)) {
            h.initializeState(snapshot);
            open(h);
            state(h, "n1/d1", 2_000, true);
            state(h, "n1/d1", 3_000, false);
            assertThat(events(h.extractOutputValues())).containsExactly("n1/d1 offline CLEARED warning from warning 0");
        }
    }

    @Test
    void anOfflineRuleHasNoFieldThresholdsWaitOrEscalation() {
        for (String bad : new String[] {"field: temperature", "above: 3", "for: 5s", "escalate: {after: 1m}"}) {
            assertThatThrownBy(() -> rules("[{name: offline, kind: offline, " + bad + "}]")).as(bad)
                    .isInstanceOf(ConfigException.class);
        }
    }

    private static void state(KeyedBroadcastOperatorTestHarness<String, SensorReading, ?, AlertEvent> h, String sensor,
            long time, boolean offline) throws Exception {
        h.processElement(SensorReadings.stateMarker("m", sensor, Map.of(), time, offline), time);
    }
}
