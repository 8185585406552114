package io.windrose.history;

import io.windrose.alert.RuleBook;
import io.windrose.alert.RuleUpdates;
import io.windrose.cli.SideJobCluster;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.schema.AlertEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert transitions of rule sets over the archive's readings of an interval, as the live job would have raised
 * them: each set's reading rules and window rules run as in the live job, no action runs, nothing is written. One
 * bounded streaming job in a mini-cluster of its own reads the archive once for all sets.
 */
public final class BacktestJob {
    private static final Logger LOG = LoggerFactory.getLogger(BacktestJob.class);

    private BacktestJob() {}

    /**
     * The transitions of each rule set (in the order of {@code sets}) with an event time inside {@code interval}, each
     * sensor's transitions of a rule in the order they happened (not always that of their event times: a late reading
     * can raise an alert at a time before the sensor's last transition, as it did live).
     */
    public static Map<String, List<AlertEvent>> run(PipelineConfig config, Map<String, RuleBook> sets,
            Interval interval) throws Exception {
        Configuration options = SideJobCluster.options();
        options.setString("pipeline.generic-types", "false");
        options.setString("pipeline.object-reuse", "true");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(options);
        Map<String, List<AlertEvent>> transitions = new LinkedHashMap<>();
        sets.keySet().forEach(name -> transitions.put(name, new ArrayList<>()));
        DataStream<Tuple2<String, AlertEvent>> all = build(env, config, sets, interval);
        if (all == null) {
            return transitions;
        }
        try (CloseableIterator<Tuple2<String, AlertEvent>> events = all.executeAndCollect("windrose backtest " + interval)) {
            events.forEachRemaining(event -> transitions.get(event.f0).add(event.f1));
        }
        return transitions;
    }

    /** The transitions of every set, each tagged with its set's name; null when no set has a rule. */
    static DataStream<Tuple2<String, AlertEvent>> build(StreamExecutionEnvironment env, PipelineConfig config,
            Map<String, RuleBook> sets, Interval interval) {
        ReplayProgress.reset();
        Duration warmUp = HistoryAlerts.warmUp(List.copyOf(sets.values()), config);
        ReplayJob.History history = ReplayJob.read(env, config, interval, warmUp);
        long closedUpTo = new ArchiveSource(config.sinks.kafka, interval, ReplayJob.readMargin(config)).liveWatermark();
        if (closedUpTo < interval.to().toEpochMilli() - 1) {
            LOG.warn("The live job's watermark is at {}: transitions after it are left out (the live job has not judged"
                    + " those readings and windows yet)", closedUpTo == Long.MIN_VALUE ? "none yet"
                    : Instant.ofEpochMilli(closedUpTo));
        }
        DataStream<Tuple2<String, AlertEvent>> all = null;
        var noUpdates = RuleUpdates.none(env);
        for (Map.Entry<String, RuleBook> set : sets.entrySet()) {
            String name = set.getKey();
            DataStream<AlertEvent> alerts = HistoryAlerts.alerts(set.getValue(), name, history.archive(),
                    history.windows().windows(), noUpdates, interval, closedUpTo);
            if (alerts == null) {
                continue;
            }
            DataStream<Tuple2<String, AlertEvent>> tagged = alerts.map(event -> Tuple2.of(name, event),
                    new TupleTypeInfo<>(Types.STRING, new AvroTypeInfo<>(AlertEvent.class))).name(name + "-set");
            all = all == null ? tagged : all.union(tagged);
        }
        return all;
    }
}
