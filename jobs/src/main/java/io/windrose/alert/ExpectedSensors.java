package io.windrose.alert;

import io.windrose.alert.state.ExpectedSensor;
import io.windrose.alert.state.ExpectedSensorList;
import io.windrose.reading.SensorReadingTypeInfo;
import io.windrose.reading.SensorReadings;
import io.windrose.schema.SensorReading;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sensors deadman rules expect, from their {@code expected} files: read again every {@link #RELOAD} (so edits take
 * effect while the job runs) and sent as marker readings ({@link SensorReadings#expectedMarker}), keyed like readings,
 * to the alert operator — a never-seen sensor has no readings that could create its key there. A sensor stays expected
 * for {@link #LEASE} after the last read that named it. File format: one sensor id per line, optionally followed by
 * {@code tag=value} pairs; {@code #} starts a comment.
 */
public final class ExpectedSensors {
    static final Duration RELOAD = Duration.ofSeconds(10);
    static final Duration LEASE = RELOAD.multipliedBy(3);
    private static final Logger LOG = LoggerFactory.getLogger(ExpectedSensors.class);

    private ExpectedSensors() {}

    /**
     * The expected sensors of {@code rules} as a stream; without any expected file an empty, finished one. Its watermark is
     * the end of time, so that it never holds back the readings' watermark where the two streams meet.
     */
    public static DataStream<SensorReading> stream(StreamExecutionEnvironment env, List<AlertRule> rules) {
        Map<String, String> byRule = new LinkedHashMap<>();
        Map<String, String> measurements = new LinkedHashMap<>();
        for (AlertRule rule : rules) {
            if (rule.kind == RuleKind.DEADMAN && rule.expected != null) {
                byRule.put(rule.name, rule.expected);
                measurements.put(rule.name, rule.measurement);
            }
        }
        DataGeneratorSource<ExpectedSensorList> source = new DataGeneratorSource<>(new Reader(byRule, measurements),
                byRule.isEmpty() ? 0 : Long.MAX_VALUE,
                // nothing to read: no rate limit either — its first permit alone held the end of a bounded input (the
                // bench's in-job runs) back by 10-20 s
                byRule.isEmpty() ? RateLimiterStrategy.noOp() : RateLimiterStrategy.perSecond(1.0 / RELOAD.toSeconds()),
                new AvroTypeInfo<>(ExpectedSensorList.class));
        return env.fromSource(source, WatermarkStrategy.forGenerator(ctx -> new EndOfTime<>()), "expected-sensors")
                .uid("expected-sensors").setParallelism(1)
                .<SensorReading>flatMap((list, out) -> list.getSensors().forEach(sensor -> out.collect(
                        SensorReadings.expectedMarker(sensor.getRule(), sensor.getMeasurement(), sensor.getSensorId(),
                                sensor.getTags()))))
                .returns(SensorReadingTypeInfo.READINGS).name("expected-sensor").uid("expected-sensor")
                .setParallelism(1)
                .setBufferTimeout(0); // a few markers a minute: out at once, no flusher thread (see RuleUpdates)
    }

    /**
     * The sensors a deadman rule's expected-sensors file names, read and parsed as the job reads them (for
     * {@code windrose check}); none for a rule without such a file.
     */
    public static List<ExpectedSensor> read(AlertRule rule) throws IOException {
        if (rule.kind != RuleKind.DEADMAN || rule.expected == null) {
            return List.of();
        }
        return read(rule.expected, rule.name, rule.measurement);
    }

    /** The markers of the sensors {@code rule}'s expected-sensors file names now (none without such a file). */
    public static List<SensorReading> markers(AlertRule rule) throws IOException {
        return read(rule).stream().map(sensor -> SensorReadings.expectedMarker(sensor.getRule(),
                sensor.getMeasurement(), sensor.getSensorId(), sensor.getTags())).toList();
    }

    private static List<ExpectedSensor> read(String file, String rule, String measurement) throws IOException {
        return parse(Files.readAllLines(Path.of(file), StandardCharsets.UTF_8), rule, measurement);
    }

    /** Parses an expected-sensors file for {@code rule}, whose sensors belong to {@code measurement}. */
    static List<ExpectedSensor> parse(List<String> lines, String rule, String measurement) {
        List<ExpectedSensor> sensors = new ArrayList<>();
        for (String raw : lines) {
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("\\s+");
            Map<String, String> tags = new LinkedHashMap<>();
            for (int i = 1; i < parts.length; i++) {
                int eq = parts[i].indexOf('=');
                if (eq > 0) {
                    tags.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
                }
            }
            sensors.add(ExpectedSensor.newBuilder().setRule(rule).setMeasurement(measurement).setSensorId(parts[0])
                    .setTags(tags).build());
        }
        return sensors;
    }

    /** Reads every file each time it is called (on the task manager). */
    private static final class Reader implements GeneratorFunction<Long, ExpectedSensorList> {
        private static final long serialVersionUID = 1L;
        private final Map<String, String> files;
        private final Map<String, String> measurements;
        private transient Map<String, Integer> lastCounts;

        Reader(Map<String, String> files, Map<String, String> measurements) {
            this.files = files;
            this.measurements = measurements;
        }

        @Override
        public ExpectedSensorList map(Long index) {
            if (lastCounts == null) {
                lastCounts = new LinkedHashMap<>();
            }
            List<ExpectedSensor> all = new ArrayList<>();
            files.forEach((rule, file) -> {
                try {
                    List<ExpectedSensor> sensors = read(file, rule, measurements.get(rule));
                    if (!Integer.valueOf(sensors.size()).equals(lastCounts.put(rule, sensors.size()))) {
                        LOG.info("Rule {} expects {} sensor(s) from {}", rule, sensors.size(), file);
                    }
                    all.addAll(sensors);
                } catch (IOException e) {
                    // the sensors stay expected for the lease; a file that stays gone ends it
                    LOG.warn("Rule {}: cannot read its expected sensors from {}: {}", rule, file, e.toString());
                }
            });
            return ExpectedSensorList.newBuilder().setSensors(all).build();
        }
    }
}
