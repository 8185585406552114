package io.windrose.history;

import io.windrose.alert.AlertRule;
import io.windrose.alert.ExpectedSensors;
import io.windrose.alert.HistoryAlertFunction;
import io.windrose.alert.RuleBook;
import io.windrose.alert.RuleBroadcastOperator;
import io.windrose.alert.WindowAlertFunction;
import io.windrose.alert.state.RuleUpdate;
import io.windrose.decode.Routes;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.SensorAggregate;
import io.windrose.schema.SensorReading;
import io.windrose.window.SensorKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;

/**
 * A rule set's alerts over the archive: the rules on readings ({@link HistoryAlertFunction}) over the archived readings,
 * the rules on windows (the live job's {@link WindowAlertFunction}) over the replay's windows; the transitions inside
 * the interval. The history read starts a warm-up before the interval, so that a rule's state there is what the
 * readings before it made (a {@code for}, a rate's span, a deadman's silence).
 */
final class HistoryAlerts {
    /** Added to the longest span a rule looks back over. */
    static final Duration WARM_UP_MARGIN = Duration.ofMinutes(1);

    private HistoryAlerts() {}

    /** The rules of the pipeline file. */
    static RuleBook fileRules(PipelineConfig config) {
        return new RuleBook(config.rules, Routes.of(config.routes).get(0).measurement());
    }

    /**
     * How far before the interval the history is read: the longest span any rule looks back over ({@code for},
     * {@code clear-after}, a rate's {@code over}, a deadman's {@code after}, a window rule's window) plus a margin.
     */
    static Duration warmUp(List<RuleBook> sets, PipelineConfig config) {
        long longest = 0;
        for (RuleBook set : sets) {
            for (AlertRule rule : set.effective(List.of())) {
                longest = Math.max(longest, rule.lookBack().toMillis());
                if (rule.onWindows()) {
                    longest = Math.max(longest, rule.lookBack().toMillis() + config.window.size.toMillis());
                }
            }
        }
        return longest == 0 ? Duration.ZERO : Duration.ofMillis(longest).plus(WARM_UP_MARGIN);
    }

    /**
     * The transitions of {@code set} with an event time inside {@code interval}, over the archived {@code readings}
     * (with their watermark stamps, in archive order) and the replay's {@code windows} (null when no set has window rules).
     */
    static DataStream<AlertEvent> alerts(RuleBook set, String name, DataStream<Tuple2<SensorReading, Long>> readings,
            DataStream<SensorAggregate> windows, DataStream<RuleUpdate> noUpdates, Interval interval, long closedUpTo) {
        List<AlertRule> rules = set.effective(List.of());
        long from = interval.from().toEpochMilli();
        long to = interval.to().toEpochMilli();
        List<DataStream<AlertEvent>> parts = new ArrayList<>();
        if (HistoryAlertFunction.needed(rules)) {
            Map<String, Set<String>> expected = expected(rules);
            DataStream<Tuple2<SensorReading, Long>> markers = markers(readings, expected.isEmpty() ? List.of() : rules);
            parts.add((markers == null ? readings : readings.union(markers))
                    .keyBy(stamped -> SensorKey.of(stamped.f0.getMeasurement(), stamped.f0.getSensorId()), Types.STRING)
                    .process(new HistoryAlertFunction(set, from, to, expected), new AvroTypeInfo<>(AlertEvent.class))
                    .name(name + "-reading-alerts"));
        }
        if (windows != null && WindowAlertFunction.needed(rules)) {
            // a window the live job may still fill is not judged: it has not judged it yet either
            DataStream<SensorAggregate> closed = windows.filter(window -> window.getWindowEnd().toEpochMilli() - 1 <= closedUpTo)
                    .name(name + "-closed-windows");
            parts.add(RuleBroadcastOperator.apply(DataStreamUtils.reinterpretAsKeyedStream(closed,
                            a -> SensorKey.of(a.getMeasurement(), a.getSensorId()), Types.STRING), noUpdates,
                    new WindowAlertFunction(set), AlertEvent.class, name + "-window-alerts"));
        }
        DataStream<AlertEvent> all = parts.isEmpty() ? null : parts.get(0);
        for (int i = 1; i < parts.size(); i++) {
            all = all.union(parts.get(i));
        }
        // nor a transition after the live job's watermark: readings that wait for the watermark (for, clear-after, rates)
        // are released by the end of the history's input, which the live job has not reached
        return all == null ? null : all.filter(event -> interval.contains(event.getEventTime().toEpochMilli())
                        && event.getEventTime().toEpochMilli() <= closedUpTo).name(name + "-inside-interval");
    }

    /** Per deadman rule, the sensors (their keys) its expected-sensors file names now. */
    private static Map<String, Set<String>> expected(List<AlertRule> rules) {
        Map<String, Set<String>> expected = new HashMap<>();
        for (AlertRule rule : rules) {
            try {
                for (SensorReading marker : ExpectedSensors.markers(rule)) {
                    expected.computeIfAbsent(rule.name(), r -> new HashSet<>())
                            .add(SensorKey.of(marker.getMeasurement(), marker.getSensorId()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("rule " + rule.name() + ": cannot read its expected sensors", e);
            }
        }
        return expected;
    }

    /**
     * The sensors the deadman rules' expected-sensor files name now, as markers without a stamp (they start the watch of
     * a sensor that sends nothing); null for none.
     */
    private static DataStream<Tuple2<SensorReading, Long>> markers(DataStream<Tuple2<SensorReading, Long>> readings,
            List<AlertRule> rules) {
        List<Tuple2<SensorReading, Long>> markers = new ArrayList<>();
        for (AlertRule rule : rules) {
            try {
                ExpectedSensors.markers(rule).forEach(marker -> markers.add(Tuple2.of(marker, Long.MIN_VALUE)));
            } catch (IOException e) {
                throw new UncheckedIOException("rule " + rule.name() + ": cannot read its expected sensors", e);
            }
        }
        // FOUND (Flink 2.2): fromData over an empty collection fails at run time ("Reached the end of the collection"
        // for input 0), so no markers means no source at all
        return markers.isEmpty() ? null
                : readings.getExecutionEnvironment().fromData(markers, ArchiveStamp.STAMPED).name("expected-sensors");
    }
}
