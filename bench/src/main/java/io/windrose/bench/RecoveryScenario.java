package io.windrose.bench;

import io.windrose.consume.AvroTopicReader;
import io.windrose.localcluster.KafkaServer;
import io.windrose.mqtt.MqttMessage;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.schema.SensorAggregate;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * Scenario 5: a failure injected mid-stream (after a completed checkpoint) in the job with exactly-once Kafka sinks:
 * time from the failure to the first record processed after the restart, and whether any aggregate was lost or
 * doubled (read back with read_committed). The source is the replayable in-memory one: this measures the job's
 * own recovery; MQTT redelivery after a failure is the MQTT source's part (issue 4).
 */
final class RecoveryScenario {
    static final AtomicLong FAILED_AT = new AtomicLong();
    static final AtomicLong RESUMED_AT = new AtomicLong();

    private final KafkaServer kafka;
    private final Results results;

    RecoveryScenario(KafkaServer kafka, Results results) {
        this.kafka = kafka;
        this.results = results;
    }

    void run(int readings) throws Exception {
        Load load = new Load(readings, 1_000);
        String prefix = "recovery" + System.nanoTime() % 100000;
        PipelineConfig config = BenchConfig.pipeline(1, 1, 1, prefix, null, "none", kafka.bootstrapServers(), prefix);
        config.sinks.kafka.deliveryGuarantee = DeliveryGuarantee.EXACTLY_ONCE;
        config.sinks.kafka.transactionalIdPrefix = prefix;
        // a bounded run: the rules topic's Kafka source never ends, and with it the job never would (it hung here
        // from issue 14 on)
        config.runtimeRules.topic = null;
        config.job.checkpointInterval = Duration.ofSeconds(1);
        config.job.flinkConfig.put("restart-strategy.type", "fixed-delay");
        config.job.flinkConfig.put("restart-strategy.fixed-delay.attempts", "3");
        config.job.flinkConfig.put("restart-strategy.fixed-delay.delay", "500ms");
        Topics.create(kafka.bootstrapServers(), config.sinks.kafka);
        FAILED_AT.set(0);
        RESUMED_AT.set(0);
        InJobScenario.execute(load, true, config, new FailOnceAfterCheckpoint(readings / 2));

        // every (sensor, window) exactly once, and their counts add up to what was sent (the last window of each sensor
        // included: the bounded input ends with a final watermark that fires every window)
        Map<String, Integer> seen = new HashMap<>();
        long counted = 0;
        try (AvroTopicReader<SensorAggregate> aggregates = new AvroTopicReader<>(kafka.bootstrapServers(),
                config.sinks.kafka.aggregatesTopic, SensorAggregate.class, Map.of("isolation.level", "read_committed"))) {
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < 3_000_000_000L) {
                for (AvroTopicReader.Keyed<SensorAggregate> record : aggregates.poll(Duration.ofMillis(200))) {
                    SensorAggregate a = record.value();
                    quietSince = System.nanoTime();
                    seen.merge(a.getSensorId() + "@" + a.getWindowStart().toEpochMilli(), 1, Integer::sum);
                    counted += a.getFields().get("temperature").getCount();
                }
            }
        }
        long doubled = seen.values().stream().filter(n -> n > 1).count();
        long expectedWindows = (long) load.sensors * (((long) (readings / load.sensors) + 9) / 10);
        results.add("recovery", "restart_to_first_record_ms", RESUMED_AT.get() > 0 ? (RESUMED_AT.get() - FAILED_AT.get()) / 1e6 : null,
                "aggregates", seen.size(), "expected_aggregates", expectedWindows, "aggregates_doubled", doubled,
                "readings_counted", counted, "readings", readings, "lost_readings", readings - counted,
                "kafka", "exactly-once, read_committed", "restart_delay_ms", 500);
    }

    /** Throws once, in the first attempt, after a checkpoint completed and {@code after} records passed. */
    static final class FailOnceAfterCheckpoint extends RichMapFunction<MqttMessage, MqttMessage> implements CheckpointListener {
        private final long after;
        private long seen;
        private boolean checkpointed;
        private int attempt;

        FailOnceAfterCheckpoint(long after) {
            this.after = after;
        }

        @Override
        public void open(OpenContext context) {
            attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
        }

        @Override
        public MqttMessage map(MqttMessage message) {
            if (attempt > 0) {
                RESUMED_AT.compareAndSet(0, System.nanoTime());
            } else if (++seen >= after && checkpointed) {
                FAILED_AT.set(System.nanoTime());
                throw new IllegalStateException("injected failure (benchmark scenario 5)");
            }
            return message;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpointed = true;
        }
    }
}
