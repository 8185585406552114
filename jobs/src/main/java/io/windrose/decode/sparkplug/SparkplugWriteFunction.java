package io.windrose.decode.sparkplug;

import io.windrose.action.state.MqttCommand;
import io.windrose.action.state.SparkplugWrite;
import io.windrose.deadletter.DeadLetterReason;
import io.windrose.decode.sparkplug.state.SparkplugNodeState;
import io.windrose.mqtt.MqttMessage;
import io.windrose.schema.DeadLetter;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code sparkplug} action's writes as NCMD/DCMD commands: keyed by edge node, it keeps the node's births (its
 * own {@link NodeSession}, from the births and deaths of the Sparkplug routes' messages) and writes each metric by the
 * alias and datatype its birth gave. A write no birth can place (no birth yet, no such metric, a value its datatype
 * cannot take) is an {@code ACTION_FAILED} dead letter ({@link #DEAD_LETTERS}). Metrics {@code windrose.sparkplug.writes},
 * {@code windrose.sparkplug.writesFailed}.
 */
public final class SparkplugWriteFunction extends KeyedCoProcessFunction<String, MqttMessage, SparkplugWrite, MqttCommand>
        implements ResultTypeQueryable<MqttCommand> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SparkplugWriteFunction.class);

    /** Writes that found no metric to write, or a value the metric cannot take. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("sparkplug-write-dead-letters",
            new AvroTypeInfo<>(DeadLetter.class));
    /** The key of a write: {@code <group>/<edge node>}, as {@link SparkplugFunction#KEY} keys messages. */
    public static final KeySelector<SparkplugWrite, String> WRITE_KEY = new WriteKey();

    private final List<SparkplugRoute> routes;
    private transient ValueState<SparkplugNodeState> state;
    private transient Counter writes;
    private transient Counter failed;

    public SparkplugWriteFunction(List<SparkplugRoute> routes) {
        this.routes = List.copyOf(routes);
    }

    /** Whether a message of the Sparkplug routes can change what this stage knows: births and deaths only. */
    public static boolean birthOrDeath(MqttMessage message) {
        try {
            SparkplugMessageType type = SparkplugTopic.parse(message.topic).type();
            return type == SparkplugMessageType.NBIRTH || type == SparkplugMessageType.DBIRTH
                    || type == SparkplugMessageType.NDEATH || type == SparkplugMessageType.DDEATH;
        } catch (SparkplugException e) {
            return false;
        }
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(
                new ValueStateDescriptor<>("sparkplug-write-node", new AvroTypeInfo<>(SparkplugNodeState.class)));
        writes = getRuntimeContext().getMetricGroup().addGroup("windrose").addGroup("sparkplug").counter("writes");
        failed = getRuntimeContext().getMetricGroup().addGroup("windrose").addGroup("sparkplug").counter("writesFailed");
    }

    @Override
    public TypeInformation<MqttCommand> getProducedType() {
        return new AvroTypeInfo<>(MqttCommand.class);
    }

    @Override
    public void processElement1(MqttMessage message, Context ctx, Collector<MqttCommand> out) throws Exception {
        SparkplugTopic topic;
        try {
            topic = SparkplugTopic.parse(message.topic);
        } catch (SparkplugException e) {
            return; // the decoding stage makes it a dead letter
        }
        for (SparkplugRoute route : routes) {
            if (route.takes(message.topic)) {
                NodeSession session = NodeSession.fromAvro(state.value());
                if (session != null) {
                    // this stage sees births and deaths only, not the data between them: their seq says nothing here
                    session.lastSeq = -1;
                }
                route.decoder().decode(topic, message.payload, message.receivedAt, session); // the decoding stage reports
                state.update(session.toAvro());
                return;
            }
        }
    }

    @Override
    public void processElement2(SparkplugWrite write, Context ctx, Collector<MqttCommand> out) throws Exception {
        NodeSession session = NodeSession.fromAvro(state.value());
        BirthCertificate birth = session == null ? null
                : write.getDevice() == null ? session.nodeBirth() : session.deviceBirth(write.getDevice());
        String target = write.getGroup() + "/" + write.getEdgeNode() + (write.getDevice() == null ? "" : "/" + write.getDevice());
        MetricDef metric = birth == null ? null : birth.byName(write.getMetric());
        String problem = birth == null ? "no birth of " + target + " is known"
                : metric == null ? "the birth of " + target + " has no metric '" + write.getMetric() + "'" : null;
        SparkplugCommands.Command command = null;
        if (problem == null) {
            try {
                command = SparkplugCommands.write(write.getGroup(), write.getEdgeNode(), write.getDevice(), metric,
                        value(write), ctx.timerService().currentProcessingTime());
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
        }
        if (problem != null) {
            failed.inc();
            LOG.warn("Rule {}: sparkplug action on {} not sent: {}", write.getRule(), write.getSensorId(), problem);
            ctx.output(DEAD_LETTERS, DeadLetter.newBuilder()
                    .setReceivedAt(Instant.ofEpochMilli(ctx.timerService().currentProcessingTime()))
                    .setTopic(SparkplugTopic.commandTopic(write.getGroup(), write.getEdgeNode(), write.getDevice()))
                    .setPayload(ByteBuffer.wrap((write.getMetric() + "=" + write.getValue()).getBytes(StandardCharsets.UTF_8)))
                    .setReason(DeadLetterReason.ACTION_FAILED.name())
                    .setDetail("rule " + write.getRule() + ", sparkplug action: " + problem)
                    .setSensorId(write.getSensorId())
                    .build());
            return;
        }
        writes.inc();
        out.collect(MqttCommand.newBuilder()
                .setTopic(command.topic())
                .setPayload(write.getMetric() + "=" + write.getValue())
                .setBinary(ByteBuffer.wrap(command.payload()))
                .setQos(0) // the specification's rule for commands: QoS 0, never retained
                .setRetain(false)
                .setExpirySeconds(write.getExpirySeconds())
                .setEventTime(write.getEventTime())
                .setRule(write.getRule())
                .setSensorId(write.getSensorId())
                .build());
    }

    private static Object value(SparkplugWrite write) {
        return switch (write.getValueType()) {
            case "boolean" -> Boolean.parseBoolean(write.getValue());
            case "number" -> integral(write.getValue()) ? (Object) Long.parseLong(write.getValue())
                    : (Object) new BigDecimal(write.getValue()).doubleValue();
            default -> write.getValue();
        };
    }

    private static boolean integral(String text) {
        return text.matches("-?\\d{1,18}");
    }

    private static final class WriteKey implements KeySelector<SparkplugWrite, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(SparkplugWrite write) {
            return write.getGroup() + "/" + write.getEdgeNode();
        }
    }
}
