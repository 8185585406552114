package io.windrose.mqtt;

import io.windrose.flink.connector.mqtt.source.MqttSource;
import io.windrose.flink.connector.mqtt.source.MqttSourceBuilder;
import io.windrose.localcluster.InMemoryMetrics;
import io.windrose.mqtt.MqttMessage;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Counts the MQTT messages reaching the end of a mini-cluster job, per payload, optionally slowly (one pause of
 * {@code pauseMillis} every {@code pauseEvery} messages) to back-pressure the source. State is static: one job at a time.
 */
final class CountingSink implements Sink<MqttMessage> {
    static final AtomicLong TOTAL = new AtomicLong();
    static final Map<String, Integer> BY_PAYLOAD = new ConcurrentHashMap<>();

    private final int pauseEvery;
    private final long pauseMillis;

    CountingSink() {
        this(0, 0);
    }

    CountingSink(int pauseEvery, long pauseMillis) {
        this.pauseEvery = pauseEvery;
        this.pauseMillis = pauseMillis;
    }

    /** The connector's source builder as the job sets it up from an empty {@code mqtt} section (add servers, topics). */
    static MqttSourceBuilder<MqttMessage> sourceBuilder() {
        return MqttSources.builder(new MqttSourceConfig());
    }

    /**
     * Runs {@code source} into this sink in a mini-cluster (no restarts: a failure fails the job), with counts and
     * {@link InMemoryMetrics} reset first. {@code checkpointMillis} 0 means no checkpoints.
     */
    JobClient run(MqttSource<MqttMessage> source, int parallelism, long checkpointMillis) throws Exception {
        reset();
        InMemoryMetrics.reset();
        Configuration flink = new Configuration();
        InMemoryMetrics.flinkConfig().forEach(flink::setString);
        flink.setString("restart-strategy.type", "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(parallelism);
        if (checkpointMillis > 0) {
            env.enableCheckpointing(checkpointMillis);
        }
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "mqtt").sinkTo(this);
        return env.executeAsync(source.options().clientIdPrefix());
    }

    static void reset() {
        TOTAL.set(0);
        BY_PAYLOAD.clear();
    }

    /** Payloads seen more than once. */
    static Map<String, Integer> duplicates() {
        Map<String, Integer> doubled = new java.util.TreeMap<>();
        BY_PAYLOAD.forEach((payload, n) -> {
            if (n > 1) {
                doubled.put(payload, n);
            }
        });
        return doubled;
    }

    @Override
    public SinkWriter<MqttMessage> createWriter(WriterInitContext context) {
        return new SinkWriter<>() {
            @Override
            public void write(MqttMessage message, Context ctx) throws InterruptedException {
                BY_PAYLOAD.merge(new String(message.payload, StandardCharsets.UTF_8), 1, Integer::sum);
                if (TOTAL.incrementAndGet() % Math.max(pauseEvery, 1) == 0 && pauseMillis > 0) {
                    Thread.sleep(pauseMillis);
                }
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
