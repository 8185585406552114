package io.windrose.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.mqtt.MqttMessage;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.pipeline.PipelineConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostileInputsTest {
    private static final long NOW = System.currentTimeMillis();

    @TempDir
    Path dir;

    @Test
    void everyHostileInputGetsItsReason() throws Exception {
        MessageDecoder decoder = decoder();
        for (HostileInputs.Case c : HostileInputs.cases("t", 7)) {
            MessageDecoder.Result result = decoder.decode(new MqttMessage(c.topic(), c.payload(), NOW));
            assertThat(result.reason()).as(c.what() + ": " + result.detail()).isEqualTo(c.reason());
            assertThat(result.detail()).as(c.what()).isNotBlank();
        }
        MessageDecoder.Result claim = decoder.decode(new MqttMessage("t/avro/gw", new byte[] {(byte) 0x80, (byte) 0x80,
                (byte) 0x80, (byte) 0x80, 0x08, 'x'}, NOW));
        assertThat(claim.detail()).as("refused before allocating 1 GB").contains("string of 1073741824 bytes, but only 1 left");
    }

    @Test
    void randomPayloadsNeverThrowFromAnyRoute() throws Exception {
        MessageDecoder decoder = decoder();
        Random random = new Random(11);
        String[] topics = {"t/json/site/s", "t/value/s/temperature", "t/avro/s", "t/loose/x"};
        byte[] good = HostileInputs.utf8("{\"sensor\":\"s\",\"ts\":" + HostileInputs.TS + ",\"a\":{\"b\":1}}");
        for (int i = 0; i < 20_000; i++) {
            byte[] payload;
            if (i % 2 == 0) {
                payload = new byte[random.nextInt(64)];
                random.nextBytes(payload);
            } else { // a valid payload with a few bytes flipped: deeper into the parsers
                payload = good.clone();
                for (int k = 0; k < 1 + random.nextInt(3); k++) {
                    payload[random.nextInt(payload.length)] = (byte) random.nextInt(256);
                }
            }
            MessageDecoder.Result result = decoder.decode(new MqttMessage(topics[i % topics.length], payload, NOW));
            if (result.reading() == null) {
                assertThat(result.detail()).as("payload %d", i).doesNotContain(MessageDecoder.UNEXPECTED);
            }
        }
    }

    private MessageDecoder decoder() throws Exception {
        Path file = dir.resolve("pipeline.yaml");
        Files.writeString(file, "routes:\n" + HostileInputs.routesYaml("t", DeviceRoutesTest.GATEWAY_SCHEMA.toString()));
        PipelineConfig config = new PipelineConfigLoader().load(file, List.of());
        return new MessageDecoder(Routes.of(config.routes), config.decode.maxPayloadBytes, Duration.ofMinutes(1));
    }
}
