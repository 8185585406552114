package io.windrose.window;

import io.windrose.config.ConfigCheck;
import io.windrose.config.ConfigSection;
import io.windrose.config.Durations;
import java.io.Serializable;
import java.time.Duration;

/** The {@code window} section: event-time windows per sensor. */
public final class WindowConfig implements ConfigSection, Serializable {
    private static final long serialVersionUID = 1L;
    public Duration size = Duration.ofSeconds(10);

    /** The window as written in the InfluxDB {@code window} tag, e.g. {@code 10s}. */
    public String tag() {
        return Durations.format(size);
    }

    @Override
    public void validate(ConfigCheck check) {
        check.positive(size, "size");
    }
}
