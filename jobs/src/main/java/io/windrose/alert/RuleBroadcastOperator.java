package io.windrose.alert;

import io.windrose.alert.state.RuleUpdate;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.event.WatermarkEvent;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Flink's keyed broadcast operator for an alert function and the rules stream, with event time from the keyed input
 * alone. The rules carry no event time: Flink would take the minimum over both inputs' watermarks, and while the keyed
 * input is idle, the rules' alone (the end of time): every window chained behind and every ordered rule would close and
 * all later readings would be late. Here the rules input counts as idle from the start and its watermarks and statuses
 * are ignored.
 */
public final class RuleBroadcastOperator<IN, OUT> extends CoBroadcastWithKeyedOperator<String, IN, RuleUpdate, OUT> {
    private static final long serialVersionUID = 1L;

    public RuleBroadcastOperator(KeyedBroadcastProcessFunction<String, IN, RuleUpdate, OUT> function) {
        super(function, List.of(RuleBook.TOPIC, AlertCommands.SHELVES));
    }

    /** {@code function} on the keyed {@code input} and the rules {@code updates} (see {@link RuleUpdates#stream}). */
    public static <IN, OUT extends SpecificRecordBase> SingleOutputStreamOperator<OUT> apply(KeyedStream<IN, String> input,
            DataStream<RuleUpdate> updates, KeyedBroadcastProcessFunction<String, IN, RuleUpdate, OUT> function,
            Class<OUT> type, String name) {
        // alerts, commands and webhook calls are few and each is awaited: each goes out as soon as it is raised, not
        // when a flusher thread next wakes (the readings passed on to the windows stay in the task)
        return input.connect(updates).transform(name, new AvroTypeInfo<>(type), new RuleBroadcastOperator<>(function))
                .uid(name).setBufferTimeout(0);
    }

    @Override
    public void open() throws Exception {
        super.open();
        super.processWatermarkStatus(WatermarkStatus.IDLE, 1);
        if (userFunction instanceof RuleStatus status && getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
            // at once, from the task's own thread (a processing-time callback runs in its mailbox, as records do)
            ProcessingTimeService time = getProcessingTimeService();
            time.registerTimer(time.getCurrentProcessingTime(), now -> output.collect(RuleBook.STATUS, new StreamRecord<>(
                    status.started(getOperatorStateBackend().getBroadcastState(RuleBook.TOPIC).immutableEntries()))));
        }
    }

    /** An alert function that reports the rules in effect on {@link RuleBook#STATUS}, also when the job starts. */
    public interface RuleStatus {
        /** The status record of a start (see {@link RuleBook#started}). */
        String started(Iterable<java.util.Map.Entry<String, String>> topic);
    }

    @Override
    public void processWatermark2(Watermark mark) {}

    @Override
    public void processWatermark2(WatermarkEvent watermark) {}

    @Override
    protected void processWatermarkStatus(WatermarkStatus status, int index) throws Exception {
        if (index == 0) {
            super.processWatermarkStatus(status, index);
        }
    }
}
