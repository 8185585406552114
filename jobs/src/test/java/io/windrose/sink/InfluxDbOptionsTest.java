package io.windrose.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InfluxDbOptionsTest {
    @Test
    void secretsNeverAppearWhenOptionsArePrinted() {
        InfluxDbOptions options = new InfluxDbOptions("v1", "http://db:8086", "o", "b", "tok-SECRET", "telemetry", null,
                "writer", "pw-SECRET", 10, Duration.ofSeconds(1), true, Duration.ofMillis(1), Duration.ofSeconds(1),
                Duration.ofMinutes(1), new DeadLetterProducer.Options("k:9092", "dl",
                        Map.of("sasl.jaas.config", "... password=\"kafka-SECRET\";"), 65_536));
        assertThat(options.toString()).doesNotContain("SECRET").contains("http://db:8086", "telemetry", "sasl.jaas.config");
    }
}
