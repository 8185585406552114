package io.windrose.alert;

import io.windrose.alert.state.RuleUpdate;
import io.windrose.config.ConfigCheck;
import io.windrose.config.ConfigFileLoader;
import io.windrose.reading.SensorReadings;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.SensorReading;
import io.windrose.testing.Readings;
import io.windrose.window.SensorKey;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;

/** {@link ReadingAlertFunction} in Flink's keyed broadcast harness, with rules written as in a pipeline file. */
final class AlertHarness {
    private AlertHarness() {}

    /** Rules from YAML (the items of a {@code rules:} list), bound and checked as the pipeline loader does. */
    static RuleBook rules(String yaml) throws Exception {
        RuleConfig[] configs = ConfigFileLoader.mapper().readValue(yaml, RuleConfig[].class);
        for (RuleConfig config : configs) {
            config.validate(new ConfigCheck("test"));
        }
        return new RuleBook(Arrays.asList(configs), "m");
    }

    static KeyedBroadcastOperatorTestHarness<String, SensorReading, RuleUpdate, AlertEvent> harness(RuleBook rules)
            throws Exception {
        return new KeyedBroadcastOperatorTestHarness<>(
                new RuleBroadcastOperator<>(new ReadingAlertFunction(rules, List.of("m"))),
                new SensorKey(), Types.STRING, 1, 1, 0);
    }

    /** Opens the harness with the rules input at the end of time (as the job's rules stream is). */
    static KeyedBroadcastOperatorTestHarness<String, SensorReading, RuleUpdate, AlertEvent> open(
            KeyedBroadcastOperatorTestHarness<String, SensorReading, RuleUpdate, AlertEvent> harness) throws Exception {
        harness.open();
        harness.processBroadcastWatermark(new Watermark(Long.MAX_VALUE));
        return harness;
    }

    static void reading(KeyedBroadcastOperatorTestHarness<String, SensorReading, RuleUpdate, AlertEvent> h, String sensor,
            long time, double temperature) throws Exception {
        h.processElement(Readings.of(sensor, time, "temperature", temperature), time);
    }

    static void expected(KeyedBroadcastOperatorTestHarness<String, SensorReading, RuleUpdate, AlertEvent> h, String rule,
            String sensor) throws Exception {
        h.processElement(SensorReadings.expectedMarker(rule, "m", sensor, Map.of("site", "a")), 0);
    }

    /** "sensor rule STATE level [from previous] [flapping] value" of each event, in order. */
    static List<String> events(List<AlertEvent> events) {
        return events.stream().map(e -> e.getSensorId() + " " + e.getRule() + " " + e.getState() + " " + e.getLevel()
                + (e.getPreviousLevel() == null ? "" : " from " + e.getPreviousLevel()) + (e.getFlapping() ? " flapping" : "")
                + " " + AlertEvents.number(e.getValue())).toList();
    }
}
