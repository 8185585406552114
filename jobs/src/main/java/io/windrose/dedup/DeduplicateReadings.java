package io.windrose.dedup;

import io.windrose.schema.SensorReading;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Drops readings seen before for the same sensor: same event time and same values (a fingerprint of both), as an
 * at-least-once redelivery brings them. Each fingerprint is remembered for a bounded horizon (keyed map state with
 * TTL), so state stays proportional to the readings of one horizon. Dropped duplicates are counted
 * ({@code windrose.duplicatesDropped}), never silent.
 */
public final class DeduplicateReadings extends KeyedProcessFunction<String, SensorReading, SensorReading> {
    private static final long serialVersionUID = 1L;

    private final Duration horizon;
    private transient MapState<Long, Boolean> seen;
    private transient Counter duplicates;

    public DeduplicateReadings(Duration horizon) {
        this.horizon = horizon;
    }

    @Override
    public void open(OpenContext openContext) {
        MapStateDescriptor<Long, Boolean> descriptor = new MapStateDescriptor<>("seen-readings", Types.LONG, Types.BOOLEAN);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(horizon)
                .updateTtlOnCreateAndWrite()
                .neverReturnExpired()
                .cleanupIncrementally(10, false)
                .cleanupInRocksdbCompactFilter(1000)
                .build());
        seen = getRuntimeContext().getMapState(descriptor);
        duplicates = getRuntimeContext().getMetricGroup().addGroup("windrose").counter("duplicatesDropped");
    }

    @Override
    public void processElement(SensorReading reading, Context ctx, Collector<SensorReading> out) throws Exception {
        long fingerprint = fingerprint(reading);
        if (seen.contains(fingerprint)) {
            duplicates.inc();
            return;
        }
        seen.put(fingerprint, Boolean.TRUE);
        out.collect(reading);
    }

    /** Event time and every field (name and value), independent of the map's iteration order. */
    static long fingerprint(SensorReading reading) {
        long h = mix(reading.getEventTime().toEpochMilli());
        Map<String, Double> fields = reading.getFields();
        if (fields.size() > 1 && !(fields instanceof TreeMap)) {
            fields = new TreeMap<>(fields);
        }
        for (Map.Entry<String, Double> field : fields.entrySet()) {
            h = mix(h * 31 + field.getKey().hashCode());
            h = mix(h * 31 + Double.doubleToLongBits(field.getValue()));
        }
        return h;
    }

    private static long mix(long z) {
        // SplitMix64 finalizer: spreads every input bit over the whole fingerprint
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
