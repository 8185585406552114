package io.windrose.window;

import io.windrose.schema.SensorReading;
import org.apache.flink.api.java.functions.KeySelector;

/** Keys readings by measurement and sensor id, so two routes with the same sensor id never share state. */
public final class SensorKey implements KeySelector<SensorReading, String> {
    private static final long serialVersionUID = 1L;

    /**
     * The last key built on this thread and the strings it was built from. Each keyed operator of a chain (dedup, the
     * window guard, the window operator) asks for the key of the same reading: a new string each time, hashed again
     * each time, was ~10 % of the keyed task (e2e profile). The strings are compared by reference, so a reused record
     * object with other values never gets a stale key.
     */
    private static final ThreadLocal<Last> LAST = ThreadLocal.withInitial(Last::new);

    private static final class Last {
        String measurement;
        String sensorId;
        String key;
    }

    @Override
    public String getKey(SensorReading reading) {
        String measurement = reading.getMeasurement();
        String sensorId = reading.getSensorId();
        Last last = LAST.get();
        if (last.sensorId != sensorId || last.measurement != measurement) {
            last.measurement = measurement;
            last.sensorId = sensorId;
            last.key = of(measurement, sensorId);
        }
        return last.key;
    }

    /** The key of a sensor of a measurement: for other records of the same sensor (aggregates, expected sensors). */
    public static String of(String measurement, String sensorId) {
        return measurement + '/' + sensorId;
    }
}
