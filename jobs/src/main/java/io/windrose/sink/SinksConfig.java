package io.windrose.sink;

import io.windrose.config.ConfigCheck;
import io.windrose.config.ConfigSection;
import java.io.Serializable;

/** The {@code sinks} section. */
public final class SinksConfig implements ConfigSection, Serializable {
    private static final long serialVersionUID = 1L;
    public InfluxDbConfig influxdb = new InfluxDbConfig();
    public KafkaSinkConfig kafka = new KafkaSinkConfig();

    @Override
    public void validate(ConfigCheck check) {
        check.section("influxdb", influxdb);
        check.section("kafka", kafka);
    }
}
