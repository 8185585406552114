package io.windrose.history;

import io.windrose.alert.RuleBook;
import io.windrose.alert.RuleKind;
import io.windrose.alert.RuleUpdates;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.schema.AlertEvent;
import io.windrose.reading.SensorReadingTypeInfo;
import io.windrose.schema.SensorAggregate;
import io.windrose.schema.SensorReading;
import io.windrose.sink.InfluxApi;
import io.windrose.sink.InfluxDbConfig;
import io.windrose.sink.InfluxDbSink;
import io.windrose.sink.InfluxPoints;
import io.windrose.sink.KafkaSinkConfig;
import io.windrose.sink.KafkaSinks;
import io.windrose.window.SensorKey;
import io.windrose.window.WindowStage;
import io.windrose.window.WindowStatistics;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.InstantiationUtil;
import org.apache.flink.util.OutputTag;

/**
 * The windows of a pipeline over the archive's readings of an interval, as a bounded streaming job: the archive read
 * (in the order the live job saw each sensor's readings) → the readings the live job's windows took (by their
 * watermark stamps) → the pipeline's own window stage → the windows wholly inside the interval → InfluxDB and/or Kafka.
 * Streaming, not batch: batch would sort each sensor's readings by time, not keep the order the live job folded them
 * in (sums and standard deviations could differ in their last digits, {@code last} on equal times).
 */
public final class ReplayJob {
    /** Readings the replay's own windows find late: none when the margin covers the live job's watermarks. */
    static final OutputTag<SensorReading> LATE = new OutputTag<>("replay-late", SensorReadingTypeInfo.READINGS);
    /** How far behind the stamped watermarks a replay's watermark trails. */
    static final Duration WATERMARK_MARGIN = Duration.ofMinutes(1);

    private ReplayJob() {}

    /** How far out of order (and late) a reading of the interval may sit in the archive. */
    static Duration readMargin(PipelineConfig config) {
        return config.eventTime.maxOutOfOrderness.plus(config.eventTime.allowedLateness).plus(WATERMARK_MARGIN);
    }

    /** The archive's readings (with their stamps, in archive order) and the windows the live job made of them. */
    record History(DataStream<Tuple2<SensorReading, Long>> archive, WindowStage.Windows windows) {}

    /**
     * Reads the archive for {@code interval} (already widened to whole windows) and a {@code warmUp} before it, and
     * windows the readings the live job's windows took, from the warm-up's first whole window on.
     */
    static History read(StreamExecutionEnvironment env, PipelineConfig config, Interval interval, Duration warmUp) {
        Interval read = readInterval(config, interval, warmUp);
        long margin = WATERMARK_MARGIN.toMillis();
        WatermarkStrategy<Tuple2<SensorReading, Long>> watermarks = WatermarkStrategy
                .<Tuple2<SensorReading, Long>>forGenerator(context -> new HeaderWatermarks(margin))
                .withTimestampAssigner((stamped, kafkaTime) -> stamped.f0.getEventTime().toEpochMilli());
        DataStream<Tuple2<SensorReading, Long>> archive = env
                .fromSource(new ArchiveSource(config.sinks.kafka, read, readMargin(config)).source(), watermarks, "archive");
        DataStream<SensorReading> readings = archive
                .filter(new ReplayFilter(read, config.window.assigner(), config.eventTime.allowedLateness.toMillis()))
                .name("taken-live")
                .map(stamped -> stamped.f0, SensorReadingTypeInfo.READINGS).name("readings");
        WindowStage.Windows windows = WindowStage.apply(readings.keyBy(new SensorKey()), config.window,
                config.eventTime.allowedLateness, LATE);
        // counted, then dropped: a stream without a sink would not run at all
        windows.late().map(reading -> {
            ReplayProgress.REPLAY_LATE.incrementAndGet();
            return reading;
        }, SensorReadingTypeInfo.READINGS).name("replay-late").sinkTo(new DiscardingSink<>()).name("replay-late-counted");
        return new History(archive, windows);
    }

    /** What is read of the archive: the interval and the warm-up before it, in whole windows. */
    static Interval readInterval(PipelineConfig config, Interval interval, Duration warmUp) {
        return new Interval(interval.from().minus(warmUp), interval.to()).widen(ReplayCommand.wholeWindows(config));
    }

    /** As {@link #build(StreamExecutionEnvironment, PipelineConfig, RuleBook, Interval, ReplayOutputs, long)} with the
     * pipeline file's rules. */
    public static void build(StreamExecutionEnvironment env, PipelineConfig config, Interval interval,
            ReplayOutputs outputs, long closedUpTo) {
        build(env, config, HistoryAlerts.fileRules(config), interval, outputs, closedUpTo);
    }

    /**
     * Adds the replay of {@code interval} (already widened to whole windows) with {@code rules} to {@code env}; windows
     * ending after {@code closedUpTo} (the live job's watermark: they may still be open there) are not written, nor
     * alert transitions after it.
     */
    public static void build(StreamExecutionEnvironment env, PipelineConfig config, RuleBook rules, Interval interval,
            ReplayOutputs outputs, long closedUpTo) {
        History history = read(env, config, interval, warmUp(config, rules));
        WindowStage.Windows windows = history.windows();
        DataStream<SensorAggregate> aggregates = windows.tiers() == null ? windows.windows()
                : windows.windows().union(windows.tiers());
        aggregates = aggregates.filter(new WholeWindows(interval, closedUpTo)).name("whole-windows");
        String suffix = outputs.measurementSuffix();
        if (!suffix.isEmpty()) {
            aggregates = aggregates.map(aggregate -> {
                SensorAggregate renamed = SensorAggregate.newBuilder(aggregate).build();
                renamed.setMeasurement(aggregate.getMeasurement() + suffix);
                return renamed;
            }, aggregates.getType()).name("measurement-suffix");
        }
        aggregates = aggregates.map(aggregate -> {
            ReplayProgress.WINDOWS.incrementAndGet();
            return aggregate;
        }, aggregates.getType()).name("count-windows");
        DataStream<AlertEvent> alerts = HistoryAlerts.alerts(rules, "replay", history.archive(),
                windowRulesWritten(config, outputs) ? windows.windows() : null, RuleUpdates.none(env), interval,
                closedUpTo);
        if (alerts != null) {
            alerts = alerts.filter(new WrittenAlerts(outputs.inPlace())).name("written-alerts");
        }
        if (outputs.influxdb()) {
            InfluxDbConfig influx = influxdb(config.sinks.influxdb, outputs.database());
            InfluxDbSink.Builder sink = InfluxDbSink.builder(influx);
            aggregates.sinkTo(sink.build(InfluxPoints.aggregates(WindowStatistics.of(config.window).stats()),
                    SensorAggregate::getSensorId)).name("influxdb-aggregates");
            if (alerts != null) {
                alerts.sinkTo(sink.build(InfluxPoints.alerts(InfluxPoints.ALERTS_MEASUREMENT + suffix),
                        AlertEvent::getSensorId)).name("influxdb-alerts");
            }
        } else if (alerts != null) {
            alerts.sinkTo(new DiscardingSink<>()).name("alerts-counted");
        }
        if (outputs.kafkaTopic() != null) {
            aggregates.sinkTo(new KafkaSinks(atLeastOnce(config.sinks.kafka)).avro(outputs.kafkaTopic(), SensorAggregate.class,
                    SensorAggregate::getSensorId)).name("kafka-aggregates");
        }
    }

    /**
     * Whether the window rules' alerts are written: over the live points only without an allowed lateness (with one, the
     * live job also judged each window's early, partial firings, which a replay does not repeat).
     */
    static boolean windowRulesWritten(PipelineConfig config, ReplayOutputs outputs) {
        return !outputs.inPlace() || config.eventTime.allowedLateness.isZero();
    }

    /** The warm-up before the interval: what {@code rules} look back over. */
    static Duration warmUp(PipelineConfig config, RuleBook rules) {
        return HistoryAlerts.warmUp(List.of(rules), config);
    }

    /**
     * The alert transitions a replay writes, counted. Over the live points it leaves out deadman alerts: the live job's
     * are on the wall clock, history's in event time, so they would not overwrite but add points.
     */
    record WrittenAlerts(boolean inPlace) implements FilterFunction<AlertEvent> {
        @Override
        public boolean filter(AlertEvent event) {
            boolean written = !inPlace || !RuleKind.DEADMAN.toString().equals(event.getKind());
            if (written) {
                ReplayProgress.ALERTS.incrementAndGet();
            }
            return written;
        }
    }

    /**
     * The pipeline's Kafka settings, at least once: a replay runs without checkpoints, and its transactions would take
     * the live job's transactional ids for a topic they share (fencing the live job's producer); a replay is run again
     * rather than resumed.
     */
    static KafkaSinkConfig atLeastOnce(KafkaSinkConfig kafka) {
        KafkaSinkConfig copy = copy(kafka, "sinks.kafka");
        copy.deliveryGuarantee = org.apache.flink.connector.base.DeliveryGuarantee.AT_LEAST_ONCE;
        return copy;
    }

    /** A deep copy of a section of the pipeline, to change for this replay only. */
    private static <T extends java.io.Serializable> T copy(T section, String key) {
        try {
            return InstantiationUtil.clone(section);
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot copy the " + key + " section", e);
        }
    }

    /** The pipeline's InfluxDB, or the same server's {@code database} (v1) / bucket (v2, keeping a "/rp" suffix). */
    static InfluxDbConfig influxdb(InfluxDbConfig pipeline, String database) {
        if (database == null) {
            return pipeline;
        }
        InfluxDbConfig other = copy(pipeline, "sinks.influxdb");
        if (other.api == InfluxApi.V1) {
            other.database = database;
        } else {
            int slash = other.bucket == null ? -1 : other.bucket.indexOf('/');
            other.bucket = slash < 0 ? database : database + other.bucket.substring(slash);
        }
        return other;
    }

    /**
     * Windows wholly inside the interval (an edge window of a sliding window would hold half its readings) that the
     * live job has closed (a window it still fills would be written from part of its readings).
     */
    record WholeWindows(Interval interval, long closedUpTo) implements FilterFunction<SensorAggregate> {
        @Override
        public boolean filter(SensorAggregate aggregate) {
            boolean whole = !aggregate.getWindowStart().isBefore(interval.from())
                    && !aggregate.getWindowEnd().isAfter(interval.to());
            if (whole && aggregate.getWindowEnd().toEpochMilli() - 1 > closedUpTo) {
                ReplayProgress.OPEN_LIVE.incrementAndGet();
                return false;
            }
            return whole;
        }
    }
}
