package io.windrose.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.windrose.schema.SensorReading;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReadingDecoderTest {
    private final JsonReadingDecoder decoder = new JsonReadingDecoder("sensor", "ts");

    @Test
    void canonicalPayloadBecomesAReading() throws DecodeException {
        SensorReading reading = decode("{\"sensor\":\"s-1\",\"ts\":1764144000000,\"temperature\":21.4,\"humidity\":40.1,"
                + "\"status\":\"ok\",\"on\":true}", null);
        assertThat(reading.getSensorId()).isEqualTo("s-1");
        assertThat(reading.getEventTime()).isEqualTo(Instant.ofEpochMilli(1764144000000L));
        assertThat(reading.getFields()).containsExactlyInAnyOrderEntriesOf(Map.of("temperature", 21.4, "humidity", 40.1));
        assertThat(reading.getMeasurement()).isEqualTo("sensors");
        assertThat(reading.getTags()).containsExactly(Map.entry("site", "a"));
    }

    @Test
    void sensorFromTheTopicWinsOverThePayload() throws DecodeException {
        assertThat(decode("{\"sensor\":\"x\",\"ts\":1,\"t\":1}", "s-7").getSensorId()).isEqualTo("s-7");
        assertThat(decode("{\"ts\":1,\"t\":1}", "s-7").getSensorId()).isEqualTo("s-7");
    }

    @Test
    void everyBadInputHasItsReason() {
        assertReason("{\"sensor\":\"s\",\"ts\":", DeadLetterReason.MALFORMED);
        assertReason("", DeadLetterReason.MALFORMED);
        assertReason("[1,2]", DeadLetterReason.MALFORMED);
        assertReason("42", DeadLetterReason.MALFORMED);
        assertReason("{\"a\":1} trailing", DeadLetterReason.MALFORMED);
        assertReason("{\"sensor\":\"s\",\"ts\":1,\"t\":NaN}", DeadLetterReason.MALFORMED);
        assertReason("{\"sensor\":\"s\",\"ts\":1,\"t\":1e999}", DeadLetterReason.NON_FINITE);
        assertReason("{\"sensor\":\"s\",\"t\":1}", DeadLetterReason.BAD_TIMESTAMP);
        assertReason("{\"sensor\":\"s\",\"ts\":\"yesterday\",\"t\":1}", DeadLetterReason.BAD_TIMESTAMP);
        assertReason("{\"sensor\":\"s\",\"ts\":1.5,\"t\":1}", DeadLetterReason.BAD_TIMESTAMP);
        assertReason("{\"sensor\":\"s\",\"ts\":1,\"t\":\"hot\"}", DeadLetterReason.NO_FIELDS);
        assertReason("{\"ts\":1,\"t\":1}", DeadLetterReason.NO_SENSOR);
    }

    private void assertReason(String payload, DeadLetterReason reason) {
        assertThatThrownBy(() -> decode(payload, null)).as(payload)
                .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private SensorReading decode(String payload, String sensorFromTopic) throws DecodeException {
        return decoder.decode(payload.getBytes(StandardCharsets.UTF_8), "sensors", sensorFromTopic, Map.of("site", "a"),
                "sensors/a/s");
    }
}
