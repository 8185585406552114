package io.windrose.window;

import io.windrose.schema.SensorReading;
import java.util.Collection;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.assigners.MergingWindowAssigner;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Sits before the window operator and sends a reading to the late output when every window it belongs to is past its
 * allowed lateness — by the highest watermark this job has seen, which it keeps in state. Flink does not checkpoint
 * watermarks: after a restore the window operator starts from none and would open a fresh, partial window for a
 * reading of a window it already emitted, whose result would then overwrite the complete one (the same InfluxDB point).
 * While the job runs this decides exactly as the window operator does (window end - 1 + allowed lateness &lt;= watermark).
 * Session windows merge: a reading whose own window is late may still join a session that is not, which only the
 * window operator knows — so for them the guard decides only until the watermark is back at the restored one.
 */
public final class EmittedWindowGuard extends AbstractStreamOperator<SensorReading>
        implements OneInputStreamOperator<SensorReading, SensorReading> {
    private static final long serialVersionUID = 1L;

    private final WindowAssigner<Object, TimeWindow> assigner;
    private final long allowedLatenessMs;
    private final OutputTag<SensorReading> late;
    private transient ListState<Long> savedFloor;
    private transient long floor;
    /** The floor restored from state, and the highest watermark since this start. */
    private transient long restoredFloor;
    private transient long watermark;
    private transient WindowAssigner.WindowAssignerContext assignerContext;

    /** @param late where readings for windows already emitted (and past their lateness) go */
    public EmittedWindowGuard(WindowAssigner<Object, TimeWindow> assigner, long allowedLatenessMs,
            OutputTag<SensorReading> late) {
        this.assigner = assigner;
        this.allowedLatenessMs = allowedLatenessMs;
        this.late = late;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        // a union list: after a rescale every subtask sees every subtask's floor, and takes the lowest (they are equal
        // for aligned checkpoints: each window subtask's watermark is the minimum over the same upstream channels)
        savedFloor = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("emitted-watermark", Types.LONG));
        floor = Long.MIN_VALUE;
        if (context.isRestored()) {
            long lowest = Long.MAX_VALUE;
            for (Long saved : savedFloor.get()) {
                lowest = Math.min(lowest, saved);
            }
            floor = lowest == Long.MAX_VALUE ? Long.MIN_VALUE : lowest;
        }
        restoredFloor = floor;
        watermark = Long.MIN_VALUE;
        assignerContext = new WindowAssigner.WindowAssignerContext() {
            @Override
            public long getCurrentProcessingTime() {
                return getProcessingTimeService().getCurrentProcessingTime();
            }
        };
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        savedFloor.update(java.util.List.of(floor));
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        floor = Math.max(floor, mark.getTimestamp());
        watermark = Math.max(watermark, mark.getTimestamp());
        super.processWatermark(mark);
    }

    @Override
    public void processElement(StreamRecord<SensorReading> record) throws Exception {
        if (isLate(record)) {
            output.collect(late, record);
        } else {
            output.collect(record);
        }
    }

    private boolean isLate(StreamRecord<SensorReading> record) {
        if (floor == Long.MIN_VALUE) {
            return false;
        }
        if (assigner instanceof MergingWindowAssigner && watermark >= restoredFloor) {
            return false; // caught up: the window operator decides, merging as it goes
        }
        Collection<TimeWindow> windows = assigner.assignWindows(record.getValue(), record.getTimestamp(), assignerContext);
        for (TimeWindow window : windows) {
            long cleanup = window.maxTimestamp() + allowedLatenessMs;
            if (cleanup < window.maxTimestamp() || cleanup > floor) { // overflow: never late
                return false;
            }
        }
        return true;
    }

    /** The highest watermark seen (or restored), for tests. */
    long floor() {
        return floor;
    }
}
