package io.windrose.consume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.windrose.WindroseCommand;
import io.windrose.localcluster.KafkaServer;
import io.windrose.schema.DeadLetter;
import io.windrose.schema.FieldStats;
import io.windrose.schema.SensorAggregate;
import io.windrose.testing.RealServices;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** {@code windrose consume} prints what downstream consumers get, against a real Kafka. */
class ConsumeCommandITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final KafkaServer kafka = RealServices.kafka();

    @Test
    void printsAggregatesAsJsonLinesWithTheirKeys() throws Exception {
        SensorAggregate aggregate = SensorAggregate.newBuilder().setMeasurement("sensors").setSensorId("s-1")
                .setTags(Map.of("site", "a")).setWindow("10s").setWindowStart(Instant.ofEpochMilli(1764144000000L))
                .setWindowEnd(Instant.ofEpochMilli(1764144010000L))
                .setFields(Map.of("temperature", new FieldStats(2L, 21.0, 22.0, 21.5, 43.0, 22.0))).build();
        send("consume.aggregates", "s-1", aggregate);

        List<JsonNode> lines = run("--bootstrap-servers", kafka.bootstrapServers(), "--topic", "consume.aggregates",
                "--max", "1");
        assertThat(lines).hasSize(1);
        JsonNode line = lines.get(0);
        assertThat(line.get("key").asText()).isEqualTo("s-1");
        assertThat(line.at("/value/sensorId").asText()).isEqualTo("s-1");
        assertThat(line.at("/value/windowStart").asText()).isEqualTo("2025-11-26T08:00:00Z");
        assertThat(line.at("/value/tags/site").asText()).isEqualTo("a");
        assertThat(line.at("/value/fields/temperature/mean").asDouble()).isEqualTo(21.5);
    }

    @Test
    void printsDeadLettersWithTheirPayloadAsText() throws Exception {
        send("consume.deadletters", null, DeadLetter.newBuilder().setReason("MALFORMED").setDetail("not valid JSON")
                .setTopic("sensors/a/s-9").setSensorId(null).setReceivedAt(Instant.ofEpochMilli(1))
                .setPayload(ByteBuffer.wrap("{\"ts\":".getBytes(StandardCharsets.UTF_8))).setPayloadSize(6).build());
        // Kafka from a pipeline file's sinks.kafka section
        Path config = Files.writeString(RealServices.newDirectory("consume").resolve("pipeline.yaml"), """
                routes: [{name: sensors, topic-template: 'x/{sensor}'}]
                sinks:
                  kafka: {bootstrap-servers: '%s'}
                """.formatted(kafka.bootstrapServers()));
        List<JsonNode> lines = run("--config", config.toString(), "--topic", "consume.deadletters", "--idle-exit", "2s");
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).get("key").isNull()).isTrue();
        assertThat(lines.get(0).at("/value/reason").asText()).isEqualTo("MALFORMED");
        assertThat(lines.get(0).at("/value/payload").asText()).isEqualTo("{\"ts\":");
    }

    @Test
    void badArgumentsExitWith2NamingTheProblem() {
        StringWriter err = new StringWriter();
        int code = WindroseCommand.execute(new PrintWriter(new StringWriter()), new PrintWriter(err, true), "consume",
                "--topic", "something.else");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("windrose consume: cannot tell the record type").contains("--type")
                .contains("Try 'windrose consume --help'");
        assertThat(WindroseCommand.execute(new PrintWriter(new StringWriter()), new PrintWriter(err, true), "consume",
                "--max")).isEqualTo(2);
    }

    private List<JsonNode> run(String... args) throws Exception {
        StringWriter out = new StringWriter();
        String[] all = new String[args.length + 1];
        all[0] = "consume";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = WindroseCommand.execute(new PrintWriter(out, true), new PrintWriter(System.err, true), all);
        assertThat(code).isZero();
        return out.toString().lines().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (Exception e) {
                throw new AssertionError("not a JSON line: " + l, e);
            }
        }).toList();
    }

    @SuppressWarnings("unchecked")
    private <T extends SpecificRecord> void send(String topic, String key, T record) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<T>((Class<T>) record.getClass()).write(record, encoder);
        encoder.flush();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                    bytes.toByteArray())).get();
        }
    }
}
