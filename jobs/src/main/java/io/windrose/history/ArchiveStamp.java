package io.windrose.history;

import io.windrose.reading.SensorReadingTypeInfo;
import io.windrose.schema.SensorReading;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Stamps each reading on its way to the archive with the watermark the windows judge it by: the highest watermark this
 * job has seen, kept in state across restores as the windows' guard keeps it. A replay then decides, reading by reading
 * and window by window, exactly as the live job decided whether the reading was too late for a window — which its own
 * watermarks, made from a different interleaving of the archive, could not.
 */
public final class ArchiveStamp extends AbstractStreamOperator<Tuple2<SensorReading, Long>>
        implements OneInputStreamOperator<SensorReading, Tuple2<SensorReading, Long>> {
    private static final long serialVersionUID = 1L;

    /** What the archive's sink receives: the reading and the watermark it was judged by. */
    public static final TypeInformation<Tuple2<SensorReading, Long>> STAMPED =
            Types.TUPLE(SensorReadingTypeInfo.READINGS, Types.LONG);

    private transient ListState<Long> saved;
    private transient long watermark;

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        // a union list, as the guard's: after a rescale every subtask takes the lowest of all
        saved = context.getOperatorStateStore().getUnionListState(new ListStateDescriptor<>("archive-watermark", Types.LONG));
        long lowest = Long.MAX_VALUE;
        if (context.isRestored()) {
            for (Long value : saved.get()) {
                lowest = Math.min(lowest, value);
            }
        }
        watermark = lowest == Long.MAX_VALUE ? Long.MIN_VALUE : lowest;
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        saved.update(List.of(watermark));
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = Math.max(watermark, mark.getTimestamp());
        super.processWatermark(mark);
    }

    @Override
    public void processElement(StreamRecord<SensorReading> record) {
        output.collect(record.replace(Tuple2.of(record.getValue(), watermark)));
    }
}
