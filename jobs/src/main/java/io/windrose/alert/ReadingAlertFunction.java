package io.windrose.alert;

import io.windrose.alert.state.AlertTrack;
import io.windrose.alert.state.RuleUpdate;
import io.windrose.reading.SensorReadingTypeInfo;
import io.windrose.reading.SensorReadings;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.SensorReading;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The alert engine for rules on readings, per sensor (keyed like the readings). One {@link AlertTrack} per rule in
 * keyed state; the state machine is {@link AlertTracker}, each kind's evaluation a {@link ReadingEvaluator}.
 * <ul>
 *   <li>Plain threshold rules run on each reading as it arrives: the lowest latency.</li>
 *   <li>Rules with {@code for}, {@code clear-after} or a rate, stuck and anomaly rules, wait for the watermark ({@link OrderedReadings}), so
 *       out-of-order readings give the in-order outcome; a reading already behind the watermark is taken at once.</li>
 *   <li>Deadman rules use the wall clock ({@link DeadmanWatcher}), with the expected sensors' markers.</li>
 *   <li>Offline rules take the state markers a decoder sends when a sensor says it is gone or back, on arrival.</li>
 *   <li>The rules are the pipeline file's, changed at runtime by the rules topic (the broadcast input, see
 *       {@link RuntimeRules}); a rule deleted or replaced by one of another kind, field or input clears its raised alerts
 *       ({@link RuleRetirement}). The first subtask writes each update's outcome to the {@link RuleBook#STATUS} side
 *       output, and the rules in effect when the job starts.</li>
 *   <li>Alert commands (ack, shelve, see {@link AlertCommands}) come on the broadcast input too; this operator's first
 *       subtask answers them.</li>
 *   <li>Each reading goes on to the {@link #READINGS} side output after its alerts, for the windows.</li>
 * </ul>
 * Metrics: {@code windrose.alertsRaised}, {@code windrose.alertsCleared}.
 */
public final class ReadingAlertFunction extends KeyedBroadcastProcessFunction<String, SensorReading, RuleUpdate, AlertEvent>
        implements RuleBroadcastOperator.RuleStatus {
    private static final long serialVersionUID = 2L;
    /**
     * Every reading this operator receives, passed on unchanged after its alerts: the windows run chained behind the
     * alerts (one keyed task, one shuffle and one serialization per reading) instead of beside them, where the source
     * serialized each reading once for each (full e2e run, QoS 0: the alerts task alone cost 2.0 µs per reading).
     */
    public static final OutputTag<SensorReading> READINGS = new OutputTag<>("readings-after-alerts",
            SensorReadingTypeInfo.READINGS);
    static final MapStateDescriptor<String, AlertTrack> TRACKS = new MapStateDescriptor<>("alert-tracks", Types.STRING,
            new AvroTypeInfo<>(AlertTrack.class));

    private final RuleBook book;
    /** The measurements of the routes: they tell a sensor key's measurement from its sensor id (both may hold '/'). */
    private final List<String> measurements;
    private transient RuntimeRules<ReadingRules> rules;
    private transient MapState<String, AlertTrack> tracks;
    private transient OrderedReadings ordered;
    private transient DeadmanWatcher deadman;
    private transient AlertOutput output;

    /** @param measurements the routes' measurements (see {@link RuleRetirement#retire}) */
    public ReadingAlertFunction(RuleBook book, List<String> measurements) {
        this.book = book;
        this.measurements = List.copyOf(measurements);
    }

    @Override
    public void open(OpenContext openContext) {
        rules = new RuntimeRules<>(book, ReadingRules::new);
        tracks = getRuntimeContext().getMapState(TRACKS);
        ordered = new OrderedReadings(getRuntimeContext());
        deadman = new DeadmanWatcher(getRuntimeContext(), tracks);
        output = new AlertOutput(getRuntimeContext());
    }

    @Override
    public void processElement(SensorReading reading, ReadOnlyContext ctx, Collector<AlertEvent> out) throws Exception {
        alerts(reading, ctx, out);
        ctx.output(READINGS, reading);
    }

    private void alerts(SensorReading reading, ReadOnlyContext ctx, Collector<AlertEvent> out) throws Exception {
        ReadingRules byKind = rules.get(ctx.getBroadcastState(RuleBook.TOPIC).immutableEntries());
        long now = ctx.timerService().currentProcessingTime();
        deadman.started(now);
        if (SensorReadings.isExpectedMarker(reading)) {
            deadman.expected(reading, byKind.deadman, ctx.timerService(), now);
            return;
        }
        if (SensorReadings.isStateMarker(reading)) {
            for (AlertRule rule : byKind.offline) {
                AlertEvent event = ReadingRules.offline(rule, reading, tracks);
                if (event != null) {
                    output.emit(rule, event, out, ctx::output, ctx.getBroadcastState(AlertCommands.SHELVES), now);
                }
            }
            return; // a state marker is no reading: nothing else sees it
        }
        evaluate(byKind.onArrival, reading, ctx, out);
        if (!byKind.ordered.isEmpty() && byKind.orderedInScope(reading)
                && !ordered.hold(reading, ctx.timerService().currentWatermark(), ctx.timerService())) {
            evaluate(byKind.ordered, reading, ctx, out); // behind the watermark already: nothing earlier can still come
        }
        if (!byKind.deadman.isEmpty()) {
            deadman.seen(reading, byKind.deadman, ctx.timerService(), now, (rule, event) -> output.emit(rule, event, out,
                    ctx::output, ctx.getBroadcastState(AlertCommands.SHELVES), now));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertEvent> out) throws Exception {
        ReadingRules byKind = rules.get(ctx.getBroadcastState(RuleBook.TOPIC).immutableEntries());
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            for (SensorReading reading : ordered.take(timestamp)) {
                evaluate(byKind.ordered, reading, ctx, out);
            }
            return;
        }
        // a timer restored from a checkpoint fires at once, however long ago it was due: now is what counts
        long now = ctx.timerService().currentProcessingTime();
        deadman.started(now);
        deadman.fire(byKind.deadman, ctx.timerService(), now, (rule, event) -> output.emit(rule, event, out,
                ctx::output, ctx.getBroadcastState(AlertCommands.SHELVES), now));
    }

    @Override
    public String started(Iterable<Map.Entry<String, String>> topic) {
        return book.started(topic);
    }

    @Override
    public void processBroadcastElement(RuleUpdate update, Context ctx, Collector<AlertEvent> out) throws Exception {
        if (update.getCommand() != null) {
            AlertCommands.apply(update, rules, output, getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0,
                    ctx, out);
            return;
        }
        BroadcastState<String, String> topic = ctx.getBroadcastState(RuleBook.TOPIC);
        RuntimeRules.Change change = rules.apply(update, topic);
        if (change == null) {
            return;
        }
        if (change.retires()) {
            RuleRetirement.retire(change.before(), TRACKS, measurements, ctx, out, output);
        }
        change.log();
        if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
            ctx.output(RuleBook.STATUS, book.status(update, change.status(), change.reason(), topic.immutableEntries()));
        }
    }

    private void evaluate(List<AlertRule> rules, SensorReading reading, ReadOnlyContext ctx, Collector<AlertEvent> out)
            throws Exception {
        for (AlertRule rule : rules) {
            AlertEvent event = ReadingRules.evaluate(rule, reading, tracks);
            if (event != null) {
                output.emit(rule, event, out, ctx::output, ctx.getBroadcastState(AlertCommands.SHELVES),
                        ctx.currentProcessingTime());
            }
        }
    }
}
