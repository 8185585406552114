package io.windrose;

import io.windrose.action.ActionCalls;
import io.windrose.action.AlertmanagerNotifier;
import io.windrose.action.AlertmanagerSink;
import io.windrose.action.CommandThrottle;
import io.windrose.action.MqttCommandSink;
import io.windrose.action.RebirthCommand;
import io.windrose.action.WebhookSink;
import io.windrose.action.state.AlertmanagerAlert;
import io.windrose.action.state.MqttCommand;
import io.windrose.action.state.SparkplugWrite;
import io.windrose.action.state.WebhookCall;
import io.windrose.alert.AlertRule;
import io.windrose.alert.ExpectedSensors;
import io.windrose.alert.ReadingAlertFunction;
import io.windrose.alert.RuleBook;
import io.windrose.alert.RuleBroadcastOperator;
import io.windrose.alert.RuleUpdates;
import io.windrose.alert.WindowAlertFunction;
import io.windrose.alert.state.RuleUpdate;
import io.windrose.deadletter.DeadLetterProducer;
import io.windrose.decode.DecodeFunction;
import io.windrose.decode.MessageDecoder;
import io.windrose.decode.PayloadFormat;
import io.windrose.decode.Route;
import io.windrose.decode.Routes;
import io.windrose.decode.sparkplug.SparkplugFunction;
import io.windrose.decode.sparkplug.SparkplugRoute;
import io.windrose.decode.sparkplug.SparkplugWriteFunction;
import io.windrose.dedup.DeduplicateReadings;
import io.windrose.flink.connector.mqtt.source.MqttSource;
import io.windrose.history.ArchiveRecords;
import io.windrose.history.ArchiveStamp;
import io.windrose.mqtt.MqttMessage;
import io.windrose.mqtt.MqttSources;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.reading.SensorReadingTypeInfo;
import io.windrose.reading.SensorReadings;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.DeadLetter;
import io.windrose.schema.SensorAggregate;
import io.windrose.schema.SensorReading;
import io.windrose.sink.InfluxDbConfig;
import io.windrose.sink.InfluxDbSink;
import io.windrose.sink.InfluxPoints;
import io.windrose.sink.KafkaSinkConfig;
import io.windrose.sink.KafkaSinks;
import io.windrose.window.LateReadingsCounter;
import io.windrose.window.SensorKey;
import io.windrose.window.WindowStage;
import io.windrose.window.WindowStatistics;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Windrose job: MQTT → decode → event-time windows and alerts → InfluxDB and Kafka. Wires the stages of one
 * pipeline file; each stage lives in its package. Its {@code main} is the {@code windrose} command line.
 */
public final class WindroseJob {
    private static final Logger LOG = LoggerFactory.getLogger(WindroseJob.class);

    /** Readings that arrived after their window closed (beyond the allowed lateness). */
    public static final OutputTag<SensorReading> LATE_READINGS = new OutputTag<>("late-readings",
            SensorReadingTypeInfo.READINGS);

    private WindroseJob() {}

    /**
     * The {@code windrose} command line ({@link WindroseCommand}): without a command it runs the job, {@code --config FILE
     * [--set key=value ...] [--fresh]}, as {@code java -jar}, {@code flink run} and Flink's REST API pass it. Exits with
     * the command's exit code, except after a submission to a Flink cluster: that JVM is Flink's.
     */
    public static void main(String[] args) throws Exception {
        Integer exit = WindroseCommand.main(args);
        if (exit != null) {
            System.exit(exit);
        }
    }

    /** A Flink environment with the job settings of the pipeline file applied. */
    public static StreamExecutionEnvironment environment(PipelineConfig config) {
        return environment(config, new Configuration());
    }

    /** As {@link #environment(PipelineConfig)}, with {@code defaults} that the pipeline's flink-config may override. */
    public static StreamExecutionEnvironment environment(PipelineConfig config, Configuration defaults) {
        Configuration flink = new Configuration();
        // state and records stay Avro/POJO-typed: fail instead of silently falling back to Kryo
        flink.setString("pipeline.generic-types", "false");
        // no defensive copy between chained operators: every stage builds new records and keeps no reference to
        // its input (state copies what it keeps), which object reuse requires
        flink.setString("pipeline.object-reuse", "true");
        // alerts should not wait up to Flink's default 100 ms in a half-full network buffer
        flink.setString("execution.buffer-timeout.interval", "10ms");
        flink.addAll(defaults);
        config.job.flinkConfig.forEach(flink::setString);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        if (config.job.parallelism != null) {
            env.setParallelism(config.job.parallelism);
        } else if (env instanceof LocalStreamEnvironment && !flink.containsKey("parallelism.default")) {
            env.setParallelism(1); // a mini-cluster would take one per core
        }
        env.enableCheckpointing(config.job.checkpointInterval.toMillis());
        return env;
    }

    /** Adds the whole pipeline to {@code env}: MQTT source, stages, sinks. */
    public static void build(StreamExecutionEnvironment env, PipelineConfig config) {
        sinks(process(messages(env, config), config), config);
    }

    /** The MQTT messages of every route's topics. */
    public static DataStream<MqttMessage> messages(StreamExecutionEnvironment env, PipelineConfig config) {
        LinkedHashSet<String> filters = new LinkedHashSet<>();
        config.routes.forEach(route -> filters.addAll(route.topicFilters()));
        LOG.info("Windrose pipeline: routes {}, MQTT {} topics {} ({}), window {}, {} rule(s), InfluxDB {}, Kafka {}",
                config.routes.stream().map(r -> r.name).toList(), config.mqtt.servers, filters, config.mqtt.delivery,
                config.window.tag(), config.rules.size(),
                config.sinks.influxdb.enabled ? config.sinks.influxdb.target() : "off",
                config.sinks.kafka.enabled ? config.sinks.kafka.bootstrapServers : "off");
        config.routes.forEach(route -> LOG.info("Windrose {}", Routes.describe(route)));
        return env.fromSource(source(config, List.copyOf(filters)), WatermarkStrategy.noWatermarks(), "mqtt-source")
                .uid("mqtt-source");
    }

    /** The MQTT source the pipeline file describes. */
    static MqttSource<MqttMessage> source(PipelineConfig config, List<String> topicFilters) {
        return MqttSources.builder(config.mqtt)
                .setCheckpointInterval(config.job.checkpointInterval)
                .setTopics(topicFilters)
                .build();
    }

    /** The streams the stages produce from the MQTT messages. */
    public record Pipeline(DataStream<SensorReading> readings, DataStream<SensorAggregate> aggregates,
            DataStream<AlertEvent> alerts, DataStream<DeadLetter> deadLetters, DataStream<SensorReading> late,
            DataStream<MqttCommand> commands, DataStream<WebhookCall> webhooks,
            DataStream<AlertmanagerAlert> alertmanager, DataStream<String> ruleStatus) {}

    /** Decode → event time → windows and alerts, from any stream of MQTT messages. */
    public static Pipeline process(DataStream<MqttMessage> messages, PipelineConfig config) {
        List<Route> routes = Routes.of(config.routes);
        SingleOutputStreamOperator<SensorReading> decoded = messages
                .process(new DecodeFunction(new MessageDecoder(routes, config.decode.maxPayloadBytes,
                        config.eventTime.maxFutureSkew), config.decode.deadLetterPayloadBytes))
                .name("decode").uid("decode");

        DataStream<SensorReading> all = decoded;
        DataStream<DeadLetter> deadLetters = decoded.getSideOutput(DecodeFunction.DEAD_LETTERS);
        DataStream<MqttCommand> rebirths = null;
        DataStream<MqttMessage> sparkplugMessages = null;
        List<SparkplugRoute> sparkplugRoutes = SparkplugRoute.of(config.routes, config.decode.maxPayloadBytes);
        if (!sparkplugRoutes.isEmpty()) {
            // Sparkplug B needs the edge node's births to read its data: keyed by node, its state checkpointed; its
            // readings and the state markers of births and deaths join the others before event time
            sparkplugMessages = decoded.getSideOutput(DecodeFunction.SPARKPLUG);
            SingleOutputStreamOperator<SensorReading> sparkplug = sparkplugMessages
                    .keyBy(SparkplugFunction.KEY)
                    .process(new SparkplugFunction(sparkplugRoutes, config.eventTime.maxFutureSkew,
                            config.decode.deadLetterPayloadBytes))
                    .name("sparkplug").uid("sparkplug");
            all = all.union(sparkplug);
            deadLetters = deadLetters.union(sparkplug.getSideOutput(SparkplugFunction.DEAD_LETTERS));
            rebirths = sparkplug.getSideOutput(SparkplugFunction.REBIRTH_REQUESTS).map(new RebirthCommand())
                    .name("sparkplug-rebirth-requests").uid("sparkplug-rebirth-requests");
        }

        RuleBook rules = new RuleBook(config.rules, routes.get(0).measurement(), !sparkplugRoutes.isEmpty());
        List<AlertRule> fileRules = rules.effective(List.of());
        // the sensors deadman rules expect join the readings before their one shuffle (as markers the stages skip)
        KeyedStream<SensorReading, String> readings = all
                .assignTimestampsAndWatermarks(config.eventTime.watermarks())
                .name("event-time").uid("event-time")
                .union(ExpectedSensors.stream(messages.getExecutionEnvironment(), fileRules))
                .keyBy(new SensorKey());
        if (config.dedup.isOn(config.mqtt.delivery)) {
            // same key, same parallelism: no second shuffle after dedup
            readings = DataStreamUtils.reinterpretAsKeyedStream(
                    readings.process(new DeduplicateReadings(config.dedup.lastReadings, config.dedup.horizon)).name("dedup").uid("dedup"),
                    new SensorKey());
        }

        DataStream<RuleUpdate> ruleUpdates = RuleUpdates.stream(messages.getExecutionEnvironment(), config.sinks.kafka,
                config.runtimeRules);
        SingleOutputStreamOperator<AlertEvent> readingAlerts = RuleBroadcastOperator.apply(readings, ruleUpdates,
                new ReadingAlertFunction(rules, routes.stream().map(Route::measurement).toList()), AlertEvent.class,
                "alerts");

        // the windows chained behind the alerts, on the readings they pass on: a second consumer of the keyed readings
        // would be a task of its own, each reading serialized once for it and once for the alerts
        SingleOutputStreamOperator<SensorReading> deviceReadings = readingAlerts.getSideOutput(ReadingAlertFunction.READINGS)
                .filter(SensorReadings::isDeviceReading).name("device-readings").uid("device-readings");
        WindowStage.Windows windows = WindowStage.apply(DataStreamUtils.reinterpretAsKeyedStream(deviceReadings,
                new SensorKey()), config.window, config.eventTime.allowedLateness, LATE_READINGS);
        DataStream<SensorAggregate> aggregates = windows.windows();
        DataStream<AlertEvent> alerts = readingAlerts;
        DataStream<MqttCommand> commands = readingAlerts.getSideOutput(ActionCalls.MQTT);
        if (rebirths != null) {
            commands = commands.union(rebirths);
        }
        DataStream<WebhookCall> webhooks = readingAlerts.getSideOutput(ActionCalls.WEBHOOK);
        DataStream<AlertmanagerAlert> alertmanager = readingAlerts.getSideOutput(ActionCalls.ALERTMANAGER);
        DataStream<SparkplugWrite> sparkplugWrites = readingAlerts.getSideOutput(ActionCalls.SPARKPLUG);
        DataStream<String> status = readingAlerts.getSideOutput(RuleBook.STATUS);
        if (WindowAlertFunction.needed(fileRules) || RuleUpdates.enabled(config.sinks.kafka, config.runtimeRules)) {
            SingleOutputStreamOperator<AlertEvent> windowAlerts = RuleBroadcastOperator.apply(DataStreamUtils
                    .reinterpretAsKeyedStream(aggregates, a -> SensorKey.of(a.getMeasurement(), a.getSensorId()), Types.STRING),
                    ruleUpdates, new WindowAlertFunction(rules), AlertEvent.class, "window-alerts");
            alerts = alerts.union(windowAlerts);
            commands = commands.union(windowAlerts.getSideOutput(ActionCalls.MQTT));
            webhooks = webhooks.union(windowAlerts.getSideOutput(ActionCalls.WEBHOOK));
            alertmanager = alertmanager.union(windowAlerts.getSideOutput(ActionCalls.ALERTMANAGER));
            sparkplugWrites = sparkplugWrites.union(windowAlerts.getSideOutput(ActionCalls.SPARKPLUG));
            status = status.union(windowAlerts.getSideOutput(RuleBook.STATUS)); // the alerts an ack found here
        }

        if (sparkplugMessages != null) {
            // the sparkplug action: writes by the alias and datatype of the births, which this stage keeps per node
            SingleOutputStreamOperator<MqttCommand> writes = sparkplugMessages.filter(SparkplugWriteFunction::birthOrDeath)
                    .name("sparkplug-births").uid("sparkplug-births")
                    .keyBy(SparkplugFunction.KEY)
                    .connect(sparkplugWrites.keyBy(SparkplugWriteFunction.WRITE_KEY))
                    .process(new SparkplugWriteFunction(sparkplugRoutes)).name("sparkplug-writes").uid("sparkplug-writes");
            commands = commands.union(writes);
            deadLetters = deadLetters.union(writes.getSideOutput(SparkplugWriteFunction.DEAD_LETTERS));
        }

        DataStream<SensorReading> late = windows.late().map(new LateReadingsCounter()).name("late-readings")
                .uid("late-readings");
        return new Pipeline(deviceReadings, windows.tiers() == null ? aggregates : aggregates.union(windows.tiers()),
                alerts, deadLetters, late, commands, webhooks,
                alertmanager, status);
    }

    /** Writes the pipeline's streams to the sinks the config turns on. */
    public static void sinks(Pipeline pipeline, PipelineConfig config) {
        InfluxDbConfig influxdb = config.sinks.influxdb;
        KafkaSinkConfig kafka = config.sinks.kafka;
        // dead letters that arise inside sinks (points InfluxDB refuses, failed webhooks) go to the Kafka topic too
        DeadLetterProducer.Options deadLetters = kafka.enabled && kafka.deadLettersTopic != null
                ? new DeadLetterProducer.Options(kafka.bootstrapServers,
                kafka.deadLettersTopic, kafka.properties, config.decode.deadLetterPayloadBytes) : null;
        if (influxdb.enabled) {
            InfluxDbSink.Builder influx = InfluxDbSink.builder(influxdb).setDeadLetters(deadLetters);
            // each InfluxDB writer in a task of its own: its writes are blocking HTTP requests, and chained they held
            // up the windows and the alerts behind them (alert latency p50 527 ms at 5,000 msgs/s chained, against
            // 54 ms with InfluxDB off); unchained they cost one hop for the aggregates (a tenth of the readings)
            pipeline.aggregates().sinkTo(influx.build(InfluxPoints.aggregates(WindowStatistics.of(config.window).stats()),
                            SensorAggregate::getSensorId))
                    .name("influxdb-aggregates").uid("influxdb-aggregates").disableChaining();
            pipeline.alerts().sinkTo(influx.build(InfluxPoints.alerts(), AlertEvent::getSensorId))
                    .name("influxdb-alerts").uid("influxdb-alerts").disableChaining();
        }
        if (config.rules.stream().anyMatch(rule -> !rule.actions.isEmpty())
                || RuleUpdates.enabled(kafka, config.runtimeRules)
                || config.routes.stream().anyMatch(route -> route.format == PayloadFormat.SPARKPLUG_B)) {
            pipeline.commands().keyBy(CommandThrottle::key, Types.STRING)
                    .process(new CommandThrottle(config.actions.mqtt.minInterval.toMillis()))
                    .name("command-throttle").uid("command-throttle")
                    .sinkTo(MqttCommandSink.create(config.mqtt, config.actions.mqtt)).name("mqtt-commands").uid("mqtt-commands");
            pipeline.webhooks().sinkTo(new WebhookSink(config.actions.webhook, deadLetters))
                    .name("webhooks").uid("webhooks");
            // the raised alerts kept (and posted again every resend-interval) by rule and sensor; the sink posts from
            // threads of its own, so that a slow or absent Alertmanager never holds up the alerts
            pipeline.alertmanager().keyBy(AlertmanagerAlert::getKey, Types.STRING)
                    .transform("alertmanager-notifier", new AvroTypeInfo<>(AlertmanagerAlert.class),
                            new AlertmanagerNotifier.Operator(new AlertmanagerNotifier(config.actions.alertmanager)))
                    .uid("alertmanager-notifier")
                    .sinkTo(new AlertmanagerSink(config.actions.alertmanager, deadLetters))
                    .name("alertmanager").uid("alertmanager");
        }
        if (kafka.enabled) {
            // each output whose topic the pipeline sets to null is off
            KafkaSinks sinks = new KafkaSinks(kafka);
            if (kafka.aggregatesTopic != null) {
                pipeline.aggregates().sinkTo(sinks.avro(kafka.aggregatesTopic, SensorAggregate.class,
                        SensorAggregate::getSensorId)).name("kafka-aggregates").uid("kafka-aggregates");
            }
            if (kafka.alertsTopic != null) {
                pipeline.alerts().sinkTo(sinks.avro(kafka.alertsTopic, AlertEvent.class, AlertEvent::getSensorId))
                        .name("kafka-alerts").uid("kafka-alerts");
            }
            if (kafka.readingsTopic != null) {
                // the archive that replay and backtests read: the readings as the windows are offered them
                pipeline.readings().transform("archive-stamp", ArchiveStamp.STAMPED, new ArchiveStamp()).uid("archive-stamp")
                        .sinkTo(sinks.sink(kafka.readingsTopic, new ArchiveRecords(kafka)))
                        .name("kafka-readings").uid("kafka-readings");
            }
            if (kafka.deadLettersTopic != null) {
                pipeline.deadLetters().sinkTo(sinks.avro(kafka.deadLettersTopic, DeadLetter.class, DeadLetter::getSensorId))
                        .name("kafka-dead-letters").uid("kafka-dead-letters");
            } else {
                LOG.warn("sinks.kafka.dead-letters-topic is null: dead letters are counted in metrics and logged, not kept");
            }
            if (kafka.lateTopic != null) {
                pipeline.late().sinkTo(sinks.avro(kafka.lateTopic, SensorReading.class, SensorReading::getSensorId))
                        .name("kafka-late").uid("kafka-late");
            } else {
                LOG.warn("sinks.kafka.late-topic is null: late readings are counted in metrics, not kept");
            }
            if (RuleUpdates.statusEnabled(kafka, config.runtimeRules)) {
                pipeline.ruleStatus().sinkTo(sinks.text(config.runtimeRules.statusTopic)).name("kafka-rule-status")
                        .uid("kafka-rule-status");
            }
        } else {
            LOG.warn("Kafka sink is off: dead letters and late readings are counted in metrics but not kept");
        }
    }
}
