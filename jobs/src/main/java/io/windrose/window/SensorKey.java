package io.windrose.window;

import io.windrose.schema.SensorReading;
import org.apache.flink.api.java.functions.KeySelector;

/** Keys readings by measurement and sensor id, so two routes with the same sensor id never share state. */
public final class SensorKey implements KeySelector<SensorReading, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(SensorReading reading) {
        return of(reading.getMeasurement(), reading.getSensorId());
    }

    /** The key of a sensor of a measurement: for other records of the same sensor (aggregates, expected sensors). */
    public static String of(String measurement, String sensorId) {
        return measurement + '/' + sensorId;
    }
}
