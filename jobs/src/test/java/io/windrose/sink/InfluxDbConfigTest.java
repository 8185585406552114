package io.windrose.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.deadletter.DeadLetterProducer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InfluxDbConfigTest {
    @Test
    void secretsNeverAppearWhenTheSinkSettingsArePrinted() {
        InfluxDbConfig influx = new InfluxDbConfig();
        influx.api = InfluxApi.V1;
        influx.url = "http://db:8086";
        influx.token = "tok-SECRET";
        influx.database = "telemetry";
        influx.username = "writer";
        influx.password = "pw-SECRET";
        KafkaSinkConfig kafka = new KafkaSinkConfig();
        kafka.properties.put("sasl.jaas.config", "... password=\"kafka-SECRET\";");
        DeadLetterProducer.Options deadLetters = new DeadLetterProducer.Options("k:9092", "dl", kafka.properties, 65_536);

        assertThat(influx.toString()).doesNotContain("SECRET").contains("http://db:8086", "telemetry", "writer");
        assertThat(kafka.toString()).doesNotContain("SECRET").contains("sasl.jaas.config");
        assertThat(deadLetters.toString()).doesNotContain("SECRET").contains("sasl.jaas.config");
        assertThat(Map.of("sink", influx).toString()).doesNotContain("SECRET");
    }
}
