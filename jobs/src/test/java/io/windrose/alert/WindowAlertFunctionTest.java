package io.windrose.alert;

import static io.windrose.alert.AlertHarness.events;
import static io.windrose.alert.AlertHarness.rules;
import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.alert.state.RuleUpdate;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.FieldStats;
import io.windrose.schema.SensorAggregate;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** on: window rules watch a statistic of each window aggregate. */
class WindowAlertFunctionTest {
    @Test
    void aWindowRuleWatchesTheMeanOfEachWindowNotSingleReadings() throws Exception {
        try (var h = new KeyedBroadcastOperatorTestHarness<String, SensorAggregate, RuleUpdate, AlertEvent>(
                new RuleBroadcastOperator<>(new WindowAlertFunction(rules(
                        "[{name: warm, field: temperature, above: 30, on: window, stat: mean}]"))),
                a -> a.getMeasurement() + "/" + a.getSensorId(), Types.STRING, 1, 1, 0)) {
            h.open();
            h.processElement(aggregate(0, 20, 45), 0); // one hot reading, mean 28
            h.processElement(aggregate(10_000, 31, 33), 10_000);
            h.processElement(aggregate(20_000, 25, 26), 20_000);
            assertThat(events(h.extractOutputValues())).containsExactly("s-1 warm RAISED warning 31",
                    "s-1 warm CLEARED warning from warning 25");
            assertThat(h.extractOutputValues().get(0).getEventTime()).as("the window's end").isEqualTo(Instant.ofEpochMilli(20_000));
        }
    }

    @Test
    void aWindowRuleDeletedAndAddedAgainStartsAfreshNotAcknowledged() throws Exception {
        String rule = "{\"name\":\"warm\",\"field\":\"temperature\",\"above\":30,\"on\":\"window\"}";
        try (var h = new KeyedBroadcastOperatorTestHarness<String, SensorAggregate, RuleUpdate, AlertEvent>(
                new RuleBroadcastOperator<>(new WindowAlertFunction(rules("[]"))),
                a -> a.getMeasurement() + "/" + a.getSensorId(), Types.STRING, 1, 1, 0)) {
            h.open();
            h.processBroadcastElement(new RuleUpdate("warm", rule, 1L, null), 0);
            h.processElement(aggregate(0, 31, 33), 0);
            h.processBroadcastElement(new RuleUpdate("", null, 2L, AlertCommand.ack("warm", "s-1", null).toJson()), 0);
            h.processBroadcastElement(new RuleUpdate("warm", null, 3L, null), 0); // deleted
            h.processBroadcastElement(new RuleUpdate("warm", rule, 4L, null), 0); // and added again
            h.processElement(aggregate(10_000, 32, 33), 10_000);
            assertThat(h.extractOutputValues()).extracting(e -> e.getState() + " " + e.getAcked())
                    .containsExactly("RAISED false", "RAISED true", "RAISED false");
        }
    }

    private static SensorAggregate aggregate(long start, double mean, double max) {
        return SensorAggregate.newBuilder().setMeasurement("m").setSensorId("s-1").setTags(Map.of("site", "a"))
                .setWindow("10s").setWindowStart(Instant.ofEpochMilli(start)).setWindowEnd(Instant.ofEpochMilli(start + 10_000))
                .setFields(Map.of("temperature", new FieldStats(4L, mean - 1, max, mean, mean * 4, mean))).build();
    }
}
