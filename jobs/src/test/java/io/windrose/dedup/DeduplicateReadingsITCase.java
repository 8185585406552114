package io.windrose.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.windrose.localcluster.InMemoryMetrics;
import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.schema.SensorReading;
import io.windrose.testing.ReadingsFixture;
import io.windrose.testing.RealServices;
import io.windrose.testing.RunningJobs;
import io.windrose.testing.TestMqtt;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DeduplicateReadingsITCase {
    private static final String DB = "dedup";

    @RegisterExtension
    final RunningJobs jobs = new RunningJobs();

    @Test
    void republishedReadingsAreDroppedAndCountedWhileTheAggregatesStayExact() throws Exception {
        MosquittoServer mosquitto = RealServices.mosquitto();
        InfluxServer influx = RealServices.influx();
        influx.createDatabase(DB);
        ReadingsFixture fixture = new ReadingsFixture("dedup", 10, 2);
        jobs.start(fixture.pipeline(mosquitto, "windrose-dedup", influx, DB, null, ""), mosquitto);
        try (TestMqtt devices = new TestMqtt(mosquitto.port())) {
            devices.publishAll(fixture.topics(0, fixture.size()), fixture.payloads(0, fixture.size()),
                    MqttQos.AT_LEAST_ONCE);
            // the last 150 again (15 per sensor, within the 32 remembered), as a redelivery would bring them
            int size = fixture.size();
            devices.publishAll(fixture.topics(size - 150, size), fixture.payloads(size - 150, size),
                    MqttQos.AT_LEAST_ONCE);
            devices.publish(fixture.closingTopic(), fixture.closingPayload());
        }
        assertThat(fixture.awaitCounts(influx, DB, Duration.ofSeconds(60))).isEqualTo(fixture.expectedCounts());
        assertThat(InMemoryMetrics.count("duplicatesDropped")).isEqualTo(150);
    }

    @Test
    void fingerprintCoversTimeAndValuesButNotFieldOrder() {
        Map<String, Double> a = new LinkedHashMap<>();
        a.put("temperature", 21.5);
        a.put("humidity", 40.0);
        Map<String, Double> b = new LinkedHashMap<>();
        b.put("humidity", 40.0);
        b.put("temperature", 21.5);
        Map<String, Double> c = new LinkedHashMap<>(b);
        c.put("temperature", 21.6);
        assertThat(DeduplicateReadings.fingerprint(reading(5, a)))
                .isEqualTo(DeduplicateReadings.fingerprint(reading(5, b)))
                .isNotEqualTo(DeduplicateReadings.fingerprint(reading(6, b)))
                .isNotEqualTo(DeduplicateReadings.fingerprint(reading(5, c)));
    }

    private static SensorReading reading(long time, Map<String, Double> fields) {
        return SensorReading.newBuilder().setMeasurement("m").setSensorId("s").setTags(Map.of())
                .setEventTime(Instant.ofEpochMilli(time)).setFields(fields).build();
    }
}
