package io.windrose.bench;

import io.windrose.pipeline.PipelineConfig;
import io.windrose.schema.SensorReading;
import io.windrose.window.FieldStatsAggregate;
import io.windrose.window.Stat;
import io.windrose.window.WindowConfig;
import io.windrose.window.WindowStatistics;
import io.windrose.window.state.WindowAccumulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Scenario 6: what each window kind and statistic costs — in-job throughput (ratio against tumbling windows with the
 * default six statistics, measured in the same run) and state per sensor (the largest checkpoint / sensors, heap
 * state backend) — for the same readings: 10,000 sensors, one reading a second each, four fields.
 */
final class WindowVariantsScenario {
    private final Results results;

    WindowVariantsScenario(Results results) {
        this.results = results;
    }

    void run(Load load) throws Exception {
        Map<String, Consumer<PipelineConfig>> variants = new LinkedHashMap<>();
        variants.put("tumbling-10s", config -> {});
        variants.put("tumbling-10s-all-stats", config -> config.window.stats = List.of(Stat.values()));
        variants.put("tumbling-10s-percentiles", config -> config.window.stats = List.of(Stat.COUNT, Stat.MEAN,
                Stat.P50, Stat.P99));
        variants.put("sliding-1m-10s", config -> {
            config.window.size = Duration.ofMinutes(1);
            config.window.slide = Duration.ofSeconds(10);
        });
        variants.put("session-30s", config -> config.window.sessionGap = Duration.ofSeconds(30));
        variants.put("tiers-1m-1h", config -> config.window.tiers = List.of(Duration.ofMinutes(1), Duration.ofHours(1)));
        KeyScaleScenario.measure(load, "hashmap", variants.get("tumbling-10s")); // warm-up
        double baseline = -1;
        for (Map.Entry<String, Consumer<PipelineConfig>> variant : variants.entrySet()) {
            BenchMain.progress("scenario 6: windows " + variant.getKey());
            KeyScaleScenario.Figures figures = KeyScaleScenario.measure(load, "hashmap", variant.getValue());
            double rate = figures.measured().rate();
            if (baseline < 0) {
                baseline = rate;
            }
            PipelineConfig config = new PipelineConfig();
            variant.getValue().accept(config);
            results.add("windows-" + variant.getKey(), "readings_per_s", rate, "ratio_to_baseline", rate / baseline,
                    "baseline", "windows-tumbling-10s", "sensors", load.sensors, "readings", load.count,
                    "window_state_bytes", windowStateBytes(config.window), "state_bytes_per_sensor",
                    figures.bytesPerSensor(load.sensors), "checkpoint_bytes", figures.checkpointBytes(),
                    "cpu_cores", figures.measured().cores());
        }
    }

    /**
     * One sensor's window state as the state backend stores it (Avro), after a full 10 s window of the load's
     * readings (ten readings of four fields): exact, where the checkpoint figure depends on when the checkpoint fell.
     */
    static int windowStateBytes(WindowConfig window) throws IOException {
        FieldStatsAggregate aggregate = new FieldStatsAggregate(WindowStatistics.of(window));
        WindowAccumulator acc = aggregate.createAccumulator();
        for (int i = 0; i < 10; i++) {
            long ts = Load.T0 + i * 1_000L;
            double temperature = 22 + 9 * Math.sin(ts / 120_000.0 * 2 * Math.PI);
            acc = aggregate.add(SensorReading.newBuilder().setMeasurement("sensors").setSensorId("s-0000001")
                    .setTags(Map.of("site", "site-a")).setEventTime(Instant.ofEpochMilli(ts))
                    .setFields(Map.of("temperature", temperature, "humidity", 45 + 10 * Math.cos(ts / 90_000.0),
                            "pressure", 1013.25, "battery", 3.7 - i * 1e-7)).build(), acc);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(WindowAccumulator.class).write(acc, encoder);
        encoder.flush();
        return out.size();
    }
}
