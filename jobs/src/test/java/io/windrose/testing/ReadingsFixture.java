package io.windrose.testing;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.KafkaServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.pipeline.PipelineConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Readings whose aggregates are known in advance: {@code sensors} sensors, one reading each every
 * {@code sensors * 10} ms of event time, so each sensor has exactly {@value #PER_WINDOW} readings in every 10 s window.
 * Used by the failure tests to check that aggregates come out exact (nothing lost, nothing counted twice).
 */
public final class ReadingsFixture {
    public static final long T0 = 1764144000000L; // a multiple of 10 s
    public static final int PER_WINDOW = 50;

    private final String topicRoot;
    private final int sensors;
    private final int windows;

    public ReadingsFixture(String topicRoot, int sensors, int windows) {
        this.topicRoot = topicRoot;
        this.sensors = sensors;
        this.windows = windows;
    }

    public int size() {
        return sensors * windows * PER_WINDOW;
    }

    public List<String> topics(int from, int to) {
        List<String> topics = new ArrayList<>();
        for (int i = from; i < to; i++) {
            topics.add(topicRoot + "/site/s-" + i % sensors);
        }
        return topics;
    }

    public List<String> payloads(int from, int to) {
        List<String> payloads = new ArrayList<>();
        long step = 10_000L / (PER_WINDOW * (long) sensors);
        for (int i = from; i < to; i++) {
            payloads.add("{\"sensor\":\"s-" + i % sensors + "\",\"ts\":" + (T0 + i * step) + ",\"temperature\":" + (i % 7)
                    + "}");
        }
        return payloads;
    }

    /**
     * Publishes the first half, waits for a checkpoint that covers it, publishes the rest, waits until
     * {@link FailOnceAfterCheckpoint} (reset with half the fixture as threshold) has failed the job, then closes the windows.
     */
    public void publishAcrossAnInjectedFailure(TestMqtt devices) {
        int half = size() / 2;
        devices.publishAll(topics(0, half), payloads(0, half), MqttQos.AT_LEAST_ONCE);
        Await.until(() -> FailOnceAfterCheckpoint.CHECKPOINTED_AT.get(), n -> n >= half, Duration.ofSeconds(60));
        devices.publishAll(topics(half, size()), payloads(half, size()), MqttQos.AT_LEAST_ONCE);
        Await.until(FailOnceAfterCheckpoint.FAILED::get, failed -> failed, Duration.ofSeconds(60));
        devices.publish(closingTopic(), closingPayload());
    }

    /** A reading far enough ahead to close every window of the fixture. */
    public String closingTopic() {
        return topicRoot + "/site/closer";
    }

    public String closingPayload() {
        return "{\"sensor\":\"closer\",\"ts\":" + (T0 + (windows + 3) * 10_000L) + ",\"temperature\":0}";
    }

    /**
     * The pipeline file for this fixture's route ({@link TestPipelines#services}, job and client id {@code name}),
     * plus {@code extra} YAML (top-level sections) and {@code overrides} (key=value).
     */
    public PipelineConfig pipeline(MosquittoServer mosquitto, String name, InfluxServer influx, String db,
            KafkaServer kafka, String extra, String... overrides) {
        return TestPipelines.load(name, TestPipelines.services(name, mosquitto, influx, db, kafka) + """
                routes:
                  - name: readings
                    topic-template: %s/{site}/{sensor}
                event-time:
                  max-out-of-orderness: 1s
                """.formatted(topicRoot) + extra, overrides);
    }

    /** temperature_count per sensor@window-offset-ms as InfluxDB has it now. */
    public Map<String, Long> countsInInflux(InfluxServer influx, String db) {
        Map<String, Long> counts = new TreeMap<>();
        String select = "SELECT temperature_count, sensor FROM readings WHERE time >= " + T0 + "ms AND time < "
                + (T0 + windows * 10_000L) + "ms";
        for (Map<String, Object> row : InfluxQuery.rows(influx, db, select)) {
            counts.put(row.get("sensor") + "@" + (((Number) row.get("time")).longValue() - T0),
                    ((Number) row.get("temperature_count")).longValue());
        }
        return counts;
    }

    /** What {@link #countsInInflux} must come to. */
    public Map<String, Long> expectedCounts() {
        Map<String, Long> counts = new TreeMap<>();
        for (int s = 0; s < sensors; s++) {
            for (int w = 0; w < windows; w++) {
                counts.put("s-" + s + "@" + w * 10_000L, (long) PER_WINDOW);
            }
        }
        return counts;
    }

    /** Waits until InfluxDB holds the expected counts (or the timeout passes) and returns what it holds. */
    public Map<String, Long> awaitCounts(InfluxServer influx, String db, Duration timeout) {
        Map<String, Long> expected = expectedCounts();
        return Await.until(() -> countsInInflux(influx, db), expected::equals, timeout);
    }
}
