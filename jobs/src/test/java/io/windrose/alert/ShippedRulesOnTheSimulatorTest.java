package io.windrose.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.windrose.alert.state.RuleUpdate;
import io.windrose.localcluster.Simulator;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.pipeline.PipelineConfigLoader;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.AlertState;
import io.windrose.schema.SensorReading;
import io.windrose.window.SensorKey;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The shipped pipeline's (local-cluster/pipeline.yaml) stuck and anomaly rules on six hours of the local stack's
 * simulator ({@link Simulator#next} with its 12 sensors, one reading a second each, as {@code local-cluster/up} runs
 * it; fans off; readings decoded from the JSON it publishes): {@code unusual} raises on every step of the quiet sensor
 * s-11 and at no other time, {@code frozen} on every freeze of s-12 and on no other sensor.
 */
class ShippedRulesOnTheSimulatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MINUTE = 60_000;
    private static final long CYCLE = 5 * MINUTE;
    private static final int SENSORS = 12;
    private static final long START = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli(); // the drift at its steepest
    private static final int CYCLES = 6 * 12;

    @Test
    void theAnomalyAndStuckRulesFindTheSimulatorsFaultsAndNothingElse() throws Exception {
        PipelineConfig pipeline = new PipelineConfigLoader().load(Path.of("../local-cluster/pipeline.yaml"), List.of());
        List<RuleConfig> rules = pipeline.rules.stream()
                .filter(rule -> rule.kind() == RuleKind.ANOMALY || rule.kind() == RuleKind.STUCK).toList();
        assertThat(rules).extracting(rule -> rule.name).containsExactly("frozen", "unusual");
        assertThat(Simulator.role(10, SENSORS)).isEqualTo(Simulator.Role.PAUSES);
        assertThat(Simulator.role(11, SENSORS)).isEqualTo(Simulator.Role.QUIET);
        assertThat(Simulator.role(12, SENSORS)).isEqualTo(Simulator.Role.FREEZES);

        List<AlertEvent> events = run(rules, START, CYCLES);

        List<AlertEvent> unusual = events.stream().filter(e -> e.getRule().equals("unusual")).toList();
        List<AlertEvent> frozen = events.stream().filter(e -> e.getRule().equals("frozen")).toList();
        assertThat(unusual).extracting(AlertEvent::getSensorId).containsOnly("s-11");
        assertThat(frozen).extracting(AlertEvent::getSensorId).containsOnly("s-12");

        // each step (minute 3 of every cycle, from its first reading at 3:00) is one critical alert, raised once the
        // step has lasted 5 s, cleared by the first reading after it
        assertThat(unusual).as("unusual: RAISED and CLEARED once per cycle").hasSize(2 * CYCLES);
        for (int c = 0; c < CYCLES; c++) {
            long step = START + c * CYCLE + 3 * MINUTE;
            AlertEvent raised = unusual.get(2 * c);
            AlertEvent cleared = unusual.get(2 * c + 1);
            String what = "cycle " + c + ": " + raised + " / " + cleared;
            assertThat(raised.getState()).as(what).isEqualTo(AlertState.RAISED);
            assertThat(raised.getLevel()).as(what).isEqualTo("critical");
            assertThat(raised.getEventTime().toEpochMilli() - step).as(what).isBetween(5_000L, 6_000L);
            assertThat(raised.getScore()).as(what).isGreaterThan(6.0);
            assertThat(raised.getMessage()).as(what).startsWith("s-11 at site-b: temperature ").contains(" deviations from"
                    + " its baseline (critical)");
            assertThat(cleared.getState()).as(what).isEqualTo(AlertState.CLEARED);
            assertThat(cleared.getEventTime().toEpochMilli() - (step + MINUTE)).as(what).isBetween(0L, 1_000L);
        }

        // each freeze (minutes 1 and 2, the value of the last reading before) is one stuck alert, raised a minute after
        // the frozen value was first sent (a reading or two earlier when the wave happened to repeat the value to the
        // hundredth just before), cleared by the first reading after it
        assertThat(frozen).as("frozen: RAISED and CLEARED once per cycle").hasSize(2 * CYCLES);
        for (int c = 0; c < CYCLES; c++) {
            long freeze = START + c * CYCLE + MINUTE;
            AlertEvent raised = frozen.get(2 * c);
            AlertEvent cleared = frozen.get(2 * c + 1);
            String what = "cycle " + c + ": " + raised + " / " + cleared;
            assertThat(raised.getState()).as(what).isEqualTo(AlertState.RAISED);
            assertThat(raised.getEventTime().toEpochMilli() - freeze).as(what).isBetween(MINUTE - 3_000, MINUTE);
            assertThat(cleared.getState()).as(what).isEqualTo(AlertState.CLEARED);
            assertThat(cleared.getEventTime().toEpochMilli() - (freeze + 2 * MINUTE)).as(what).isBetween(0L, 1_000L);
        }
    }

    /** The events of {@code rules} over {@code cycles} of the simulator from {@code start}. */
    private static List<AlertEvent> run(List<RuleConfig> rules, long start, int cycles) throws Exception {
        Simulator simulator = new Simulator("127.0.0.1", 0, SENSORS, SENSORS, null);
        List<AlertEvent> events;
        try (KeyedBroadcastOperatorTestHarness<String, SensorReading, RuleUpdate, AlertEvent> h =
                AlertHarness.open(new KeyedBroadcastOperatorTestHarness<>(
                        new RuleBroadcastOperator<>(new ReadingAlertFunction(new RuleBook(rules, "sensors"),
                                List.of("sensors"))), new SensorKey(), Types.STRING, 1, 1, 0))) {
            long end = start + cycles * CYCLE;
            for (long k = 0; ; k++) {
                long now = start + k * 1000 / SENSORS;
                if (now >= end) {
                    break;
                }
                Simulator.Reading reading = simulator.next(now);
                if (!reading.paused()) {
                    JsonNode json = JSON.readTree(reading.json());
                    h.processElement(SensorReading.newBuilder()
                            .setMeasurement("sensors")
                            .setSensorId(json.path("sensor").asText())
                            .setTags(Map.of("site", reading.site()))
                            .setEventTime(Instant.ofEpochMilli(json.path("ts").asLong()))
                            .setFields(Map.of("temperature", json.path("temperature").asDouble(),
                                    "humidity", json.path("humidity").asDouble()))
                            .setTopic(reading.topic())
                            .build(), now);
                }
                if (k % SENSORS == SENSORS - 1) {
                    h.processWatermark(new Watermark(now));
                }
            }
            h.processWatermark(new Watermark(end));
            events = new ArrayList<>(h.extractOutputValues());
        }

        return events;
    }

    @Test
    void startedDuringAStepTheAnomalyRuleLearnsTheUsualLevelWithinMinutes() throws Exception {
        PipelineConfig pipeline = new PipelineConfigLoader().load(Path.of("../local-cluster/pipeline.yaml"), List.of());
        List<RuleConfig> rules = pipeline.rules.stream().filter(rule -> rule.kind() == RuleKind.ANOMALY).toList();
        long start = START + 3 * MINUTE + 10_000; // the warm-up (30 s) sees only the step
        List<AlertEvent> unusual = run(rules, start, 12);
        assertThat(unusual).extracting(AlertEvent::getSensorId).containsOnly("s-11");
        // the usual level raises at first; once the readings not learned outweigh the learned ones (well within the
        // first cycle) the baseline starts again on it, and from the next step on each cycle is one RAISED and CLEARED
        List<AlertEvent> settled = unusual.stream()
                .filter(e -> e.getEventTime().toEpochMilli() >= START + CYCLE + 3 * MINUTE).toList();
        assertThat(unusual.size() - settled.size()).as("before the second step: " + unusual).isLessThanOrEqualTo(2);
        assertThat(settled).as("cycles 1 to 11, and cycle 12's step raised as the run ends").hasSize(2 * 11 + 1);
        for (int c = 0; c < 11; c++) {
            long step = START + (c + 1) * CYCLE + 3 * MINUTE;
            assertThat(settled.get(2 * c).getState()).isEqualTo(AlertState.RAISED);
            assertThat(settled.get(2 * c).getEventTime().toEpochMilli() - step).isBetween(5_000L, 6_000L);
            assertThat(settled.get(2 * c + 1).getEventTime().toEpochMilli() - (step + MINUTE)).isBetween(0L, 1_000L);
        }
    }
}
