package io.windrose.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.schema.SensorReading;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The key cache of SensorKey: the same key object for the same reading, never a stale key for a reused record. */
class SensorKeyTest {
    @Test
    void aReusedRecordWithAnotherSensorGetsItsOwnKey() {
        SensorReading reading = SensorReading.newBuilder().setMeasurement("m").setSensorId("s-1").setTags(Map.of())
                .setEventTime(Instant.EPOCH).setFields(Map.of("t", 1.0)).setTopic("x").build();
        SensorKey first = new SensorKey();
        SensorKey second = new SensorKey(); // another operator of the same chain: its own instance, the same thread
        String key = first.getKey(reading);
        assertThat(key).isEqualTo("m/s-1");
        assertThat(second.getKey(reading)).as("built once per reading and thread").isSameAs(key);

        reading.setSensorId(new String("s-1")); // equal text, another string (as a deserializer makes it)
        assertThat(first.getKey(reading)).isEqualTo("m/s-1");
        reading.setSensorId("s-2"); // object reuse: the same record object, other values
        assertThat(first.getKey(reading)).isEqualTo("m/s-2");
        reading.setMeasurement("n");
        assertThat(second.getKey(reading)).isEqualTo("n/s-2");
    }
}
