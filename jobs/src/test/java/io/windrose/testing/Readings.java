package io.windrose.testing;

import io.windrose.schema.SensorReading;
import java.time.Instant;
import java.util.Map;

/** Readings for unit tests of keyed stages. */
public final class Readings {
    private Readings() {}

    /** A reading of measurement "m" from {@code sensor} at {@code epochMs} with the given fields. */
    public static SensorReading of(String sensor, long epochMs, Map<String, Double> fields) {
        return SensorReading.newBuilder()
                .setMeasurement("m")
                .setSensorId(sensor)
                .setTags(Map.of("site", "a"))
                .setEventTime(Instant.ofEpochMilli(epochMs))
                .setFields(fields)
                .setTopic("m/a/" + sensor)
                .build();
    }

    public static SensorReading of(String sensor, long epochMs, String field, double value) {
        return of(sensor, epochMs, Map.of(field, value));
    }
}
