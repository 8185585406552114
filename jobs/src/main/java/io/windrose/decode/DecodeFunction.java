package io.windrose.decode;

import io.windrose.deadletter.DeadLetterCounters;
import io.windrose.mqtt.MqttMessage;
import io.windrose.reading.SensorReadingTypeInfo;
import io.windrose.schema.DeadLetter;
import io.windrose.schema.SensorReading;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The decode stage: each MQTT message becomes a {@link SensorReading} or a {@link DeadLetter} on the
 * {@link #DEAD_LETTERS} side output (see {@link MessageDecoder}). Metrics: {@code windrose.readingsDecoded},
 * {@code windrose.deadLetters.<REASON>}; the log says so too, at most once a minute per reason.
 */
public final class DecodeFunction extends ProcessFunction<MqttMessage, SensorReading>
        implements ResultTypeQueryable<SensorReading> {
    private static final long serialVersionUID = 2L;

    /** Dead letters, one per unusable message. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};
    /** The messages of Sparkplug B routes, as they came: decoded with their edge node's state (SparkplugFunction). */
    public static final OutputTag<MqttMessage> SPARKPLUG = new OutputTag<>("sparkplug-messages",
            TypeInformation.of(MqttMessage.class));

    private final MessageDecoder decoder;
    private final int deadLetterPayloadBytes;
    private transient Counter decoded;
    private transient DeadLetterCounters deadLetters;

    /** @param deadLetterPayloadBytes how much of a payload a dead letter keeps */
    public DecodeFunction(MessageDecoder decoder, int deadLetterPayloadBytes) {
        this.decoder = decoder;
        this.deadLetterPayloadBytes = deadLetterPayloadBytes;
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("windrose");
        decoded = group.counter("readingsDecoded");
        deadLetters = new DeadLetterCounters(group, deadLetterPayloadBytes);
    }

    @Override
    public TypeInformation<SensorReading> getProducedType() {
        return SensorReadingTypeInfo.READINGS;
    }

    @Override
    public void processElement(MqttMessage message, Context ctx, Collector<SensorReading> out) {
        MessageDecoder.Result result = decoder.decode(message);
        if (result.reading() != null) {
            out.collect(result.reading());
            decoded.inc();
        } else if (result.sparkplug()) {
            ctx.output(SPARKPLUG, message);
        } else {
            ctx.output(DEAD_LETTERS, deadLetters.of(message, result.reason(), result.detail(), result.sensorId()));
        }
    }
}
