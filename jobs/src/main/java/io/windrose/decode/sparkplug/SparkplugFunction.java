package io.windrose.decode.sparkplug;

import io.windrose.deadletter.DeadLetterCounters;
import io.windrose.deadletter.DeadLetterReason;
import io.windrose.decode.sparkplug.SparkplugResult.Ignored;
import io.windrose.decode.sparkplug.SparkplugResult.MetricReading;
import io.windrose.decode.sparkplug.SparkplugResult.Offline;
import io.windrose.decode.sparkplug.SparkplugResult.Readings;
import io.windrose.decode.sparkplug.SparkplugResult.Rejected;
import io.windrose.decode.sparkplug.state.SparkplugNodeState;
import io.windrose.decode.FieldMapping;
import io.windrose.decode.PayloadFormat;
import io.windrose.decode.RouteConfig;
import io.windrose.decode.Routes;
import io.windrose.eventtime.EventTimeConfig;
import io.windrose.mqtt.MqttMessage;
import io.windrose.reading.SensorReadings;
import io.windrose.reading.SensorReadingTypeInfo;
import io.windrose.schema.DeadLetter;
import io.windrose.schema.SensorReading;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Sparkplug B messages, keyed by edge node ({@link #KEY}), into readings: the node's {@link NodeSession} lives in
 * keyed state, {@link SparkplugDecoder} does the rest. Per message and metric timestamp one {@link SensorReading}:
 * measurement as configured, sensor id {@code <edge node>/<device>} (the node's own metrics: {@code <edge node>}),
 * tags {@code group}, {@code edge_node} and {@code device}, one field per numeric metric named as the metric. Side
 * outputs: {@link #DEAD_LETTERS}, {@link #REBIRTH_REQUESTS} (NCMD messages to publish) and {@link #STATUS} (births
 * and deaths). NDATA/DDATA without a single numeric metric are NO_FIELDS dead letters; births without one only
 * change the state. Metrics under {@code windrose.sparkplug}: readings, skippedMetrics, rebirthRequests, ignored,
 * deadLetters.&lt;REASON&gt;.
 */
public final class SparkplugFunction extends KeyedProcessFunction<String, MqttMessage, SensorReading>
        implements ResultTypeQueryable<SensorReading> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("sparkplug-dead-letters") {};
    /** Rebirth requests: NCMD {@code Node Control/Rebirth} = true, to publish at QoS 0, not retained. */
    public static final OutputTag<MqttMessage> REBIRTH_REQUESTS = new OutputTag<>("sparkplug-rebirth-requests") {};
    public static final OutputTag<SparkplugStatus> STATUS = new OutputTag<>("sparkplug-status") {};

    /** The key: {@code <group>/<edge node>}; a topic outside the namespace keys by itself (it is a dead letter). */
    public static final KeySelector<MqttMessage, String> KEY = new NodeKey();

    private final List<SparkplugRoute> routes;
    private final int deadLetterPayloadBytes;
    private final long maxFutureSkewMs;
    private transient ValueState<SparkplugNodeState> state;
    private transient Counter readings;
    private transient Counter skipped;
    private transient Counter rebirths;
    private transient Counter ignored;
    private transient DeadLetterCounters deadLetters;

    /**
     * @param routes the Sparkplug B routes, in the pipeline file's order (the first that takes a topic decodes it)
     * @param maxFutureSkew {@code event-time.max-future-skew}: a message with a metric time further ahead of its
     *     arrival is a FUTURE_TIMESTAMP dead letter, as for every route, so one node's clock cannot move the watermark
     */
    public SparkplugFunction(List<SparkplugRoute> routes, Duration maxFutureSkew, int deadLetterPayloadBytes) {
        this.routes = List.copyOf(routes);
        this.maxFutureSkewMs = maxFutureSkew.toMillis();
        this.deadLetterPayloadBytes = deadLetterPayloadBytes;
    }

    /** One route, {@code measurement}, of every Sparkplug B topic ({@code spBv1.0/#}) with the default sensor ids. */
    public SparkplugFunction(String measurement, SparkplugOptions options, int deadLetterPayloadBytes) {
        this(List.of(defaultRoute(measurement, options)), new EventTimeConfig().maxFutureSkew, deadLetterPayloadBytes);
    }

    private static SparkplugRoute defaultRoute(String measurement, SparkplugOptions options) {
        RouteConfig config = new RouteConfig();
        config.name = measurement;
        config.format = PayloadFormat.SPARKPLUG_B;
        config.topics = List.of("spBv1.0/#");
        return new SparkplugRoute(Routes.of(config), measurement, config.sparkplug.sensorId,
                config.sparkplug.nodeSensorId, new FieldMapping(List.of(), "_", List.of(), List.of(), Map.of(), false,
                        false, Set.of()), options);
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(
                new ValueStateDescriptor<>("sparkplug-node", new AvroTypeInfo<>(SparkplugNodeState.class)));
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("windrose").addGroup("sparkplug");
        readings = group.counter("readings");
        skipped = group.counter("skippedMetrics");
        rebirths = group.counter("rebirthRequests");
        ignored = group.counter("ignored");
        deadLetters = new DeadLetterCounters(group, deadLetterPayloadBytes);
    }

    @Override
    public TypeInformation<SensorReading> getProducedType() {
        return SensorReadingTypeInfo.READINGS;
    }

    @Override
    public void processElement(MqttMessage message, Context ctx, Collector<SensorReading> out) throws Exception {
        SparkplugTopic topic;
        try {
            topic = SparkplugTopic.parse(message.topic);
        } catch (SparkplugException e) {
            deadLetter(ctx, message, e.reason(), e.getMessage(), null);
            return;
        }
        if (topic.type().isControl()) {
            // commands (ours included) and host state: not data, and not the node's session
            ignored.inc();
            return;
        }
        SparkplugRoute route = route(message.topic);
        if (route == null) {
            deadLetter(ctx, message, DeadLetterReason.UNROUTED, "no sparkplug-b route takes topic " + message.topic, null);
            return;
        }
        NodeSession session = NodeSession.fromAvro(state.value());
        SparkplugResult result = route.decoder().decode(topic, message.payload, message.receivedAt, session);
        state.update(session.toAvro());
        if (result.requestRebirth()) {
            SparkplugCommands.Command c = SparkplugCommands.rebirth(topic.group(), topic.edgeNode(), message.receivedAt);
            ctx.output(REBIRTH_REQUESTS, new MqttMessage(c.topic(), c.payload(), message.receivedAt));
            rebirths.inc();
        }
        if (result instanceof Readings r) {
            emit(route, r, message, ctx, out);
        } else if (result instanceof Offline off) {
            if (off.node()) {
                state(route, topic, null, false, message.receivedAt, ctx, out);
            }
            for (String device : off.devices()) {
                state(route, topic, device, false, message.receivedAt, ctx, out);
            }
        } else if (result instanceof Rejected rej) {
            deadLetter(ctx, message, rej.reason(), rej.detail(),
                    route.sensorId(topic.group(), topic.edgeNode(), topic.device()));
        } else if (result instanceof Ignored) {
            ignored.inc();
        }
    }

    /** The first route that takes {@code topic}, or null. */
    private SparkplugRoute route(String topic) {
        for (SparkplugRoute route : routes) {
            if (route.takes(topic)) {
                return route;
            }
        }
        return null;
    }

    /**
     * A node or device went online or offline: on {@link #STATUS}, and as a state marker among the readings (for
     * {@code kind: offline} rules; see {@link SensorReadings#stateMarker}).
     */
    private void state(SparkplugRoute route, SparkplugTopic topic, String device, boolean online, long time, Context ctx,
            Collector<SensorReading> out) {
        ctx.output(STATUS, new SparkplugStatus(topic.group(), topic.edgeNode(), device, online, time));
        out.collect(SensorReadings.stateMarker(route.measurement(), route.sensorId(topic.group(), topic.edgeNode(), device),
                tags(topic, device), time, !online));
    }

    private static Map<String, String> tags(SparkplugTopic topic, String device) {
        Map<String, String> tags = new HashMap<>();
        tags.put("group", topic.group());
        tags.put("edge_node", topic.edgeNode());
        if (device != null) {
            tags.put("device", device);
        }
        return tags;
    }

    private void emit(SparkplugRoute route, Readings r, MqttMessage message, Context ctx, Collector<SensorReading> out) {
        SparkplugTopic topic = r.topic();
        String sensorId = route.sensorId(topic.group(), topic.edgeNode(), r.device());
        skipped.inc(r.skipped().size());
        if (r.birth()) {
            state(route, topic, r.device(), true, message.receivedAt, ctx, out);
        } else if (r.readings().isEmpty()) {
            deadLetter(ctx, message, DeadLetterReason.NO_FIELDS, topic.type() + ": no numeric metric"
                    + (r.skipped().isEmpty() ? "" : " (skipped: " + r.skipped().get(0).name() + ": "
                    + r.skipped().get(0).why() + (r.skipped().size() > 1 ? ", …)" : ")")), sensorId);
            return;
        }
        Map<String, String> tags = tags(topic, r.device());
        // one reading per event time: a message may carry metrics of several times (historical data)
        Map<Long, Map<String, Double>> byTime = new LinkedHashMap<>();
        for (MetricReading m : r.readings()) {
            String field = route.field(m.name());
            if (field == null) {
                skipped.inc();
            } else {
                byTime.computeIfAbsent(m.timestamp(), t -> new HashMap<>()).put(field, m.value());
            }
        }
        long latest = byTime.keySet().stream().mapToLong(Long::longValue).max().orElse(message.receivedAt);
        if (latest - message.receivedAt > maxFutureSkewMs) {
            // the births' definitions stand (the decoder took them); their values, like data, are not read
            deadLetter(ctx, message, DeadLetterReason.FUTURE_TIMESTAMP, topic.type() + ": metric time "
                    + Instant.ofEpochMilli(latest) + " is " + (latest - message.receivedAt) + " ms ahead of its arrival,"
                    + " more than event-time.max-future-skew (" + maxFutureSkewMs + " ms)", sensorId);
            return;
        }
        if (byTime.isEmpty() && !r.birth()) {
            deadLetter(ctx, message, DeadLetterReason.NO_FIELDS, topic.type() + ": no metric left after the route's"
                    + " fields include/exclude", sensorId);
            return;
        }
        for (Map.Entry<Long, Map<String, Double>> e : byTime.entrySet()) {
            out.collect(SensorReading.newBuilder()
                    .setMeasurement(route.measurement())
                    .setSensorId(sensorId)
                    .setTags(tags)
                    .setEventTime(Instant.ofEpochMilli(e.getKey()))
                    .setFields(e.getValue())
                    .setTopic(message.topic)
                    .build());
            readings.inc();
        }
    }

    private void deadLetter(Context ctx, MqttMessage message, DeadLetterReason reason, String detail, String sensorId) {
        ctx.output(DEAD_LETTERS, deadLetters.of(message, reason, detail, sensorId));
    }

    static String sensorId(String edgeNode, String device) {
        return device == null ? edgeNode : edgeNode + "/" + device;
    }

    private static final class NodeKey implements KeySelector<MqttMessage, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(MqttMessage message) {
            try {
                return SparkplugTopic.parse(message.topic).nodeKey();
            } catch (SparkplugException e) {
                return message.topic == null ? "" : message.topic;
            }
        }
    }
}
