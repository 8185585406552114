package io.windrose.alert;

import io.windrose.schema.SensorReading;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.TimerService;

/**
 * A sensor's readings waiting for the watermark to pass their time, so that event-time ordered rules take them in
 * event-time order (keyed state {@code ordered-readings}: event time to the readings at it). Each held reading has an
 * event-time timer at its time: live, the timer releases it ({@link #take}); over history the watermark each archived
 * reading carries does ({@link #release}), and the timers release the last ones at the end of the input.
 */
final class OrderedReadings {
    private final MapState<Long, List<SensorReading>> pending;

    OrderedReadings(RuntimeContext context) {
        pending = context.getMapState(new MapStateDescriptor<>("ordered-readings", Types.LONG,
                Types.LIST(new AvroTypeInfo<>(SensorReading.class))));
    }

    /**
     * Holds {@code reading} until {@code watermark} passes its time; false if it has already (nothing earlier can still
     * come: take it at once).
     */
    boolean hold(SensorReading reading, long watermark, TimerService timers) throws Exception {
        long time = reading.getEventTime().toEpochMilli();
        if (time <= watermark) {
            return false;
        }
        List<SensorReading> atTime = pending.get(time);
        List<SensorReading> readings = atTime == null ? new ArrayList<>() : new ArrayList<>(atTime);
        readings.add(reading);
        pending.put(time, readings);
        timers.registerEventTimeTimer(time);
        return true;
    }

    /** The readings held for exactly {@code time} (its timer fired), no longer held. */
    List<SensorReading> take(long time) throws Exception {
        List<SensorReading> readings = pending.get(time);
        if (readings == null) {
            return List.of();
        }
        pending.remove(time);
        return readings;
    }

    /** The readings held up to {@code watermark}, in event-time order, no longer held. */
    List<SensorReading> release(long watermark) throws Exception {
        if (pending.isEmpty()) {
            return List.of();
        }
        List<Long> due = new ArrayList<>();
        for (Long time : pending.keys()) {
            if (time <= watermark) {
                due.add(time);
            }
        }
        due.sort(null);
        List<SensorReading> readings = new ArrayList<>();
        for (Long time : due) {
            readings.addAll(pending.get(time));
            pending.remove(time);
        }
        return readings;
    }
}
