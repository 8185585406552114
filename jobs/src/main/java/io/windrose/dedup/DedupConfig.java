package io.windrose.dedup;

import io.windrose.config.ConfigCheck;
import io.windrose.config.ConfigSection;
import io.windrose.flink.connector.mqtt.common.MqttDeliveryGuarantee;
import java.io.Serializable;
import java.time.Duration;

/** The {@code dedup} section: drops redelivered duplicates (same sensor, event time and values) before windows and alerts. */
public final class DedupConfig implements ConfigSection, Serializable {
    private static final long serialVersionUID = 1L;
    /** On by default with mqtt.delivery at-least-once, off with at-most-once. */
    public Boolean enabled;
    /** Readings remembered per sensor: at least what one sensor sends in two checkpoint intervals. */
    public int lastReadings = 32;
    /** A sensor silent this long is forgotten (state TTL). */
    public Duration horizon = Duration.ofHours(1);

    /** Whether the stage runs: as configured, else with at-least-once delivery (which redelivers). */
    public boolean isOn(MqttDeliveryGuarantee delivery) {
        return enabled != null ? enabled : delivery == MqttDeliveryGuarantee.AT_LEAST_ONCE;
    }

    @Override
    public void validate(ConfigCheck check) {
        check.positive(horizon, "horizon");
        check.require(lastReadings > 0, "last-readings", "expected a whole number above 0");
    }
}
