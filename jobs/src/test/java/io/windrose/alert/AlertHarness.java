package io.windrose.alert;

import io.windrose.alert.state.ExpectedSensor;
import io.windrose.config.ConfigCheck;
import io.windrose.config.ConfigFileLoader;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.SensorReading;
import io.windrose.testing.Readings;
import io.windrose.window.SensorKey;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

/** {@link ReadingAlertFunction} in Flink's keyed two-input harness, with rules written as in a pipeline file. */
final class AlertHarness {
    private AlertHarness() {}

    /** Rules from YAML (the items of a {@code rules:} list), bound and checked as the pipeline loader does. */
    static List<AlertRule> rules(String yaml) throws Exception {
        RuleConfig[] configs = ConfigFileLoader.mapper().readValue(yaml, RuleConfig[].class);
        for (RuleConfig config : configs) {
            config.validate(new ConfigCheck("test"));
        }
        return java.util.Arrays.stream(configs).map(c -> c.compile("m")).toList();
    }

    static KeyedTwoInputStreamOperatorTestHarness<String, SensorReading, ExpectedSensor, AlertEvent> harness(
            List<AlertRule> rules) throws Exception {
        var harness = new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(new ReadingAlertFunction(rules)),
                new SensorKey(), (ExpectedSensor e) -> SensorKey.of(e.getMeasurement(), e.getSensorId()), Types.STRING);
        return harness;
    }

    /** Opens the harness with the expected-sensors input at the end of time (as the job's source is). */
    static KeyedTwoInputStreamOperatorTestHarness<String, SensorReading, ExpectedSensor, AlertEvent> open(
            KeyedTwoInputStreamOperatorTestHarness<String, SensorReading, ExpectedSensor, AlertEvent> harness)
            throws Exception {
        harness.open();
        harness.processWatermark2(new Watermark(Long.MAX_VALUE));
        return harness;
    }

    static void reading(KeyedTwoInputStreamOperatorTestHarness<String, SensorReading, ExpectedSensor, AlertEvent> h,
            String sensor, long time, double temperature) throws Exception {
        h.processElement1(Readings.of(sensor, time, "temperature", temperature), time);
    }

    static void expected(KeyedTwoInputStreamOperatorTestHarness<String, SensorReading, ExpectedSensor, AlertEvent> h,
            String rule, String sensor) throws Exception {
        h.processElement2(ExpectedSensor.newBuilder().setRule(rule).setMeasurement("m").setSensorId(sensor)
                .setTags(Map.of("site", "a")).build(), 0);
    }

    /** "STATE level [previous] value" of each event, in order. */
    static List<String> events(List<AlertEvent> events) {
        return events.stream().map(e -> e.getSensorId() + " " + e.getRule() + " " + e.getState() + " " + e.getLevel()
                + (e.getPreviousLevel() == null ? "" : " from " + e.getPreviousLevel()) + (e.getFlapping() ? " flapping" : "")
                + " " + AlertEvents.number(e.getValue())).toList();
    }
}
