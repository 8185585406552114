package io.windrose.decode;

import io.windrose.mqtt.MqttMessage;
import io.windrose.schema.DeadLetter;
import io.windrose.schema.SensorReading;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Routes each MQTT message by topic and decodes it into a {@link SensorReading}; anything that cannot be used goes
 * to the {@link #DEAD_LETTERS} side output with a reason. Never throws out of the stage.
 */
public final class DecodeFunction extends ProcessFunction<MqttMessage, SensorReading> {
    private static final long serialVersionUID = 1L;

    /** Dead letters, one per unusable message. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private final List<Route> routes;
    private transient Counter decoded;
    private transient Map<DeadLetterReason, Counter> deadLetters;

    public DecodeFunction(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("windrose");
        decoded = group.counter("readingsDecoded");
        deadLetters = new EnumMap<>(DeadLetterReason.class);
        MetricGroup dead = group.addGroup("deadLetters");
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLetters.put(reason, dead.counter(reason.name()));
        }
    }

    @Override
    public void processElement(MqttMessage message, Context ctx, Collector<SensorReading> out) {
        for (Route route : routes) {
            Optional<Map<String, String>> captured = route.accept(message.topic);
            if (captured.isPresent()) {
                try {
                    out.collect(route.decode(message.payload, message.topic, captured.get()));
                    decoded.inc();
                } catch (DecodeException e) {
                    deadLetter(ctx, message, e.reason(), "route " + route.name() + ": " + e.getMessage(),
                            captured.get().get("sensor"));
                } catch (RuntimeException e) {
                    deadLetter(ctx, message, DeadLetterReason.MALFORMED, "route " + route.name() + ": " + e, null);
                }
                return;
            }
        }
        deadLetter(ctx, message, DeadLetterReason.UNROUTED, "no route takes topic " + message.topic, null);
    }

    private void deadLetter(Context ctx, MqttMessage message, DeadLetterReason reason, String detail, String sensorId) {
        deadLetters.get(reason).inc();
        ctx.output(DEAD_LETTERS, DeadLetters.of(message, reason, detail, sensorId));
    }
}
