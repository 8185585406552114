package io.windrose.pipeline;

import io.windrose.config.ConfigCheck;
import io.windrose.config.ConfigSection;
import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code job} section: Flink job settings. */
public final class JobConfig implements ConfigSection, Serializable {
    private static final long serialVersionUID = 1L;
    public String name = "windrose";
    public int parallelism = 1;
    /** Also how often at-least-once MQTT acks go out: at most 65,535 un-acked messages per reader in between. */
    public Duration checkpointInterval = Duration.ofSeconds(2);
    /** Passed to Flink's Configuration as they are (e.g. state.backend.type: rocksdb). */
    public Map<String, String> flinkConfig = new LinkedHashMap<>();

    @Override
    public void validate(ConfigCheck check) {
        check.notBlank(name, "name", "expected a non-empty name");
        check.require(parallelism >= 1, "parallelism", "expected a whole number of at least 1");
        check.positive(checkpointInterval, "checkpoint-interval");
    }
}
