package io.windrose.eventtime;

import io.windrose.config.ConfigCheck;
import io.windrose.config.ConfigSection;
import io.windrose.schema.SensorReading;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/** The {@code event-time} section: watermarks, lateness and the future-skew guard. */
public final class EventTimeConfig implements ConfigSection, Serializable {
    private static final long serialVersionUID = 1L;
    public Duration maxOutOfOrderness = Duration.ofSeconds(2);
    /** A source with no message for this long stops holding back the watermark; 0 = never idle. */
    public Duration idleness = Duration.ofSeconds(30);
    /** How long a window still accepts late readings after the watermark passed its end. */
    public Duration allowedLateness = Duration.ZERO;
    /** A reading stamped further ahead of its arrival is a FUTURE_TIMESTAMP dead letter, so it cannot move the watermark. */
    public Duration maxFutureSkew = Duration.ofMinutes(1);

    /** Bounded out-of-orderness over the readings' event times, with source idleness unless it is 0. */
    public WatermarkStrategy<SensorReading> watermarks() {
        WatermarkStrategy<SensorReading> strategy = WatermarkStrategy
                .<SensorReading>forBoundedOutOfOrderness(maxOutOfOrderness)
                .withTimestampAssigner((reading, previous) -> reading.getEventTime().toEpochMilli());
        return idleness.isZero() ? strategy : strategy.withIdleness(idleness);
    }

    @Override
    public void validate(ConfigCheck check) {
        check.notNegative(maxOutOfOrderness, "max-out-of-orderness");
        check.notNegative(idleness, "idleness");
        check.notNegative(allowedLateness, "allowed-lateness");
        check.notNegative(maxFutureSkew, "max-future-skew");
    }
}
