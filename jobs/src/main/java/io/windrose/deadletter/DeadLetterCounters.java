package io.windrose.deadletter;

import io.windrose.mqtt.MqttMessage;
import io.windrose.schema.DeadLetter;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * A decoding stage's dead letters, made, counted per reason ({@code <group>.deadLetters.<REASON>}) and logged at most
 * once a minute per reason ({@link DeadLetterLog}).
 */
public final class DeadLetterCounters {
    private final Map<DeadLetterReason, Counter> counters = new EnumMap<>(DeadLetterReason.class);
    private final DeadLetterLog log = new DeadLetterLog(60_000, System::currentTimeMillis);
    private final int payloadBytes;

    /** @param payloadBytes how much of a payload a dead letter keeps */
    public DeadLetterCounters(MetricGroup group, int payloadBytes) {
        MetricGroup dead = group.addGroup("deadLetters");
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            counters.put(reason, dead.counter(reason.name()));
        }
        this.payloadBytes = payloadBytes;
    }

    /** The dead letter of {@code message}, counted and logged. */
    public DeadLetter of(MqttMessage message, DeadLetterReason reason, String detail, String sensorId) {
        counters.get(reason).inc();
        log.record(reason, message.topic, detail);
        return DeadLetters.of(message, reason, detail, sensorId, payloadBytes);
    }
}
