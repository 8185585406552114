package io.windrose.decode.sparkplug;

import io.windrose.deadletter.DeadLetterLog;
import io.windrose.deadletter.DeadLetterReason;
import io.windrose.deadletter.DeadLetters;
import io.windrose.decode.sparkplug.SparkplugResult.Ignored;
import io.windrose.decode.sparkplug.SparkplugResult.MetricReading;
import io.windrose.decode.sparkplug.SparkplugResult.Offline;
import io.windrose.decode.sparkplug.SparkplugResult.Readings;
import io.windrose.decode.sparkplug.SparkplugResult.Rejected;
import io.windrose.decode.sparkplug.state.SparkplugNodeState;
import io.windrose.mqtt.MqttMessage;
import io.windrose.reading.SensorReadingTypeInfo;
import io.windrose.schema.DeadLetter;
import io.windrose.schema.SensorReading;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
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

    private final String measurement;
    private final SparkplugDecoder decoder;
    private final int deadLetterPayloadBytes;
    private transient ValueState<SparkplugNodeState> state;
    private transient Counter readings;
    private transient Counter skipped;
    private transient Counter rebirths;
    private transient Counter ignored;
    private transient Map<DeadLetterReason, Counter> deadLetters;
    private transient DeadLetterLog log;

    public SparkplugFunction(String measurement, SparkplugOptions options, int deadLetterPayloadBytes) {
        this.measurement = measurement;
        this.decoder = new SparkplugDecoder(options);
        this.deadLetterPayloadBytes = deadLetterPayloadBytes;
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
        deadLetters = new EnumMap<>(DeadLetterReason.class);
        MetricGroup dead = group.addGroup("deadLetters");
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLetters.put(reason, dead.counter(reason.name()));
        }
        log = new DeadLetterLog(60_000, System::currentTimeMillis);
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
        NodeSession session = NodeSession.fromAvro(state.value());
        SparkplugResult result = decoder.decode(topic, message.payload, message.receivedAt, session);
        state.update(session.toAvro());
        if (result.requestRebirth()) {
            SparkplugCommands.Command c = SparkplugCommands.rebirth(topic.group(), topic.edgeNode(), message.receivedAt);
            ctx.output(REBIRTH_REQUESTS, new MqttMessage(c.topic(), c.payload(), message.receivedAt));
            rebirths.inc();
        }
        if (result instanceof Readings r) {
            emit(r, message, ctx, out);
        } else if (result instanceof Offline off) {
            if (off.node()) {
                ctx.output(STATUS, new SparkplugStatus(topic.group(), topic.edgeNode(), null, false, message.receivedAt));
            }
            for (String device : off.devices()) {
                ctx.output(STATUS, new SparkplugStatus(topic.group(), topic.edgeNode(), device, false, message.receivedAt));
            }
        } else if (result instanceof Rejected rej) {
            deadLetter(ctx, message, rej.reason(), rej.detail(), sensorId(topic.edgeNode(), topic.device()));
        } else if (result instanceof Ignored) {
            ignored.inc();
        }
    }

    private void emit(Readings r, MqttMessage message, Context ctx, Collector<SensorReading> out) {
        SparkplugTopic topic = r.topic();
        String sensorId = sensorId(topic.edgeNode(), r.device());
        skipped.inc(r.skipped().size());
        if (r.birth()) {
            ctx.output(STATUS, new SparkplugStatus(topic.group(), topic.edgeNode(), r.device(), true, message.receivedAt));
        } else if (r.readings().isEmpty()) {
            deadLetter(ctx, message, DeadLetterReason.NO_FIELDS, topic.type() + ": no numeric metric"
                    + (r.skipped().isEmpty() ? "" : " (skipped: " + r.skipped().get(0).name() + ": "
                    + r.skipped().get(0).why() + (r.skipped().size() > 1 ? ", …)" : ")")), sensorId);
            return;
        }
        Map<String, String> tags = new HashMap<>();
        tags.put("group", topic.group());
        tags.put("edge_node", topic.edgeNode());
        if (r.device() != null) {
            tags.put("device", r.device());
        }
        // one reading per event time: a message may carry metrics of several times (historical data)
        Map<Long, Map<String, Double>> byTime = new LinkedHashMap<>();
        for (MetricReading m : r.readings()) {
            byTime.computeIfAbsent(m.timestamp(), t -> new HashMap<>()).put(m.name(), m.value());
        }
        for (Map.Entry<Long, Map<String, Double>> e : byTime.entrySet()) {
            out.collect(SensorReading.newBuilder()
                    .setMeasurement(measurement)
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
        deadLetters.get(reason).inc();
        log.record(reason, message.topic, detail);
        ctx.output(DEAD_LETTERS, DeadLetters.of(message, reason, detail, sensorId, deadLetterPayloadBytes));
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
