package io.windrose.bench;

import io.windrose.WindroseJob;
import io.windrose.consume.AvroTopicReader;
import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.KafkaServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.schema.AlertEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Scenario 3: at a fixed publish rate (half of the measured maximum), the time from publishing the reading that crosses
 * a threshold to its alert record arriving on Kafka. Each alert is matched to its reading by sensor and event time.
 */
final class AlertLatencyScenario {
    private final MosquittoServer mosquitto;
    private final KafkaServer kafka;
    private final InfluxServer influx;
    private final Results results;

    AlertLatencyScenario(MosquittoServer mosquitto, KafkaServer kafka, InfluxServer influx, Results results) {
        this.mosquitto = mosquitto;
        this.kafka = kafka;
        this.influx = influx;
        this.results = results;
    }

    void run(Load load, double rate, int qos) throws Exception {
        String id = "latency" + System.nanoTime() % 100000;
        influx.createDatabase(id);
        PipelineConfig config = BenchConfig.pipeline(mosquitto.port(), qos, 1, id, influx.v1Url(), id,
                kafka.bootstrapServers(), id);
        Topics.create(kafka.bootstrapServers(), config.sinks.kafka);
        StreamExecutionEnvironment env = WindroseJob.environment(config);
        WindroseJob.build(env, config);
        JobClient job = env.executeAsync("bench-alert-latency");
        long[] publishedAt = new long[load.count];
        List<Long> latencies = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread consumer = new Thread(() -> consume(config.sinks.kafka.alertsTopic, load, publishedAt, latencies, stop),
                "alert-consumer");
        try {
            mosquitto.awaitSubscription(id + "-0", "sensors/+/+", Duration.ofSeconds(60));
            consumer.start();
            Thread.sleep(2000); // the consumer joins its group before the first alert
            long periodNanos = (long) (1e9 / rate);
            try (RawMqtt.Publisher publisher = new RawMqtt.Publisher(mosquitto.port(), id + "-publisher", qos, 1000)) {
                long next = System.nanoTime();
                for (int i = 0; i < load.count; i++) {
                    while (System.nanoTime() < next) {
                        LockSupport.parkNanos(50_000);
                    }
                    byte[] frame = RawMqtt.publishFrame(load.topic(i), load.payloads[i], qos);
                    publishedAt[i] = System.nanoTime();
                    publisher.publish(frame, qos > 0 ? RawMqtt.packetIdOffset(frame) : 0);
                    publisher.flush();
                    next += periodNanos;
                }
                publisher.awaitAcks(load.count, 30_000);
            }
            Thread.sleep(3000); // the last alerts arrive
        } finally {
            stop.set(true);
            consumer.join(10_000);
            job.cancel().get();
        }
        long[] sorted;
        synchronized (latencies) {
            sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        if (sorted.length == 0) {
            results.add("alert-latency-qos" + qos, "alerts", 0, "rate_msgs_per_s", rate, "error", "no alert arrived");
            return;
        }
        results.add("alert-latency-qos" + qos, "p50_ms", percentile(sorted, 0.50), "p99_ms", percentile(sorted, 0.99),
                "max_ms", sorted[sorted.length - 1] / 1e6, "alerts", sorted.length, "rate_msgs_per_s", rate,
                "messages", load.count, "warm_up_messages", load.count / 4);
    }

    private static double percentile(long[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    private void consume(String topic, Load load, long[] publishedAt, List<Long> latencies, AtomicBoolean stop) {
        try (AvroTopicReader<AlertEvent> alerts = new AvroTopicReader<>(kafka.bootstrapServers(), topic,
                AlertEvent.class, Map.of("fetch.max.wait.ms", "5", "isolation.level", "read_uncommitted"))) {
            while (!stop.get()) {
                for (AvroTopicReader.Keyed<AlertEvent> record : alerts.poll(Duration.ofMillis(5))) {
                    AlertEvent alert = record.value();
                    long now = System.nanoTime();
                    int sensor = Integer.parseInt(alert.getSensorId().substring(2)); // s-0000042
                    long second = (alert.getEventTime().toEpochMilli() - Load.T0) / 1000;
                    int index = (int) (second * load.sensors + sensor);
                    // the first quarter of the load warms the job's alert path up and is not measured
                    if (index >= publishedAt.length / 4 && index < publishedAt.length && publishedAt[index] > 0) {
                        synchronized (latencies) {
                            latencies.add(now - publishedAt[index]);
                        }
                    }
                }
            }
        }
    }
}
