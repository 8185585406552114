package io.windrose.deadletter;

import io.windrose.schema.DeadLetter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes dead letters that arise inside a sink (e.g. points InfluxDB refuses) to the dead-letter topic, in the same
 * Avro form as the decode stage's: a Sink V2 writer has no output stream of its own. Flushed with the sink, so at
 * least once.
 */
public final class DeadLetterProducer implements AutoCloseable {
    /** The Kafka side of the pipeline file's sinks, and how much of a payload a dead letter keeps. */
    public record Options(String bootstrapServers, String topic, Map<String, String> properties, int maxPayloadBytes)
            implements Serializable {
        /** Property values may hold secrets (sasl.jaas.config, ssl.key.password): only their names are printed. */
        @Override
        public String toString() {
            return "Kafka " + bootstrapServers + " topic " + topic + " properties " + properties.keySet();
        }
    }

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final SpecificDatumWriter<DeadLetter> writer = new SpecificDatumWriter<>(DeadLetter.class);
    private BinaryEncoder encoder;

    public DeadLetterProducer(Options options) {
        Properties properties = new Properties();
        properties.putAll(options.properties());
        properties.put("bootstrap.servers", options.bootstrapServers());
        properties.put("key.serializer", ByteArraySerializer.class.getName());
        properties.put("value.serializer", ByteArraySerializer.class.getName());
        properties.putIfAbsent("acks", "all");
        this.producer = new KafkaProducer<>(properties);
        this.topic = options.topic();
    }

    public void send(DeadLetter letter) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        encoder = EncoderFactory.get().binaryEncoder(out, encoder);
        writer.write(letter, encoder);
        encoder.flush();
        byte[] key = letter.getSensorId() == null ? null : letter.getSensorId().getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(topic, key, out.toByteArray()));
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
