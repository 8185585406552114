package io.windrose.localcluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;

/**
 * Payloads as real devices publish them, matching the routes of {@code local-cluster/examples/device-routes.yaml}:
 * a Zigbee2MQTT bridge, a Tasmota plug (local time), a Shelly (one number per topic) and an industrial gateway (Avro).
 */
public final class DevicePayloads {
    /** The example gateway's schema file, relative to the repository root. */
    public static final Path GATEWAY_SCHEMA = Path.of("local-cluster/examples/schemas/GatewayReading.avsc");

    private final Schema gatewaySchema;

    /** @param gatewaySchema the GatewayReading .avsc file */
    public DevicePayloads(Path gatewaySchema) {
        try {
            this.gatewaySchema = new Schema.Parser().parse(gatewaySchema.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + gatewaySchema, e);
        }
    }

    /** {@code zigbee2mqtt/<device>}: flat JSON, humidity as a string, contact as a boolean, ISO last_seen. */
    public static String zigbee(long ts, double temperature, double humidity, boolean contact) {
        return String.format(Locale.ROOT, "{\"battery\":97,\"humidity\":\"%.1f\",\"temperature\":%.2f,\"contact\":%s,"
                + "\"linkquality\":120,\"last_seen\":\"%s\",\"update\":{\"state\":\"idle\"}}", humidity, temperature, contact,
                Instant.ofEpochMilli(ts));
    }

    /** {@code tele/<device>/SENSOR}: nested JSON with the device's local time (Europe/Berlin) and no offset. */
    public static String tasmota(long ts, double power, double voltage) {
        return String.format(Locale.ROOT, "{\"Time\":\"%s\",\"ENERGY\":{\"Power\":%.1f,\"Voltage\":%.1f,\"Today\":1.25},"
                + "\"TempUnit\":\"C\"}", LocalDateTime.ofInstant(Instant.ofEpochMilli(ts), ZoneId.of("Europe/Berlin")),
                power, voltage);
    }

    /** {@code shellies/<device>/sensor/<field>}: the bare number. */
    public static String shelly(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** {@code plant/<line...>/gateway}: a GatewayReading in plain Avro binary. */
    public byte[] gateway(String device, long ts, Map<String, Double> values) {
        GenericRecord record = gatewayRecord(device, ts, values);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(gatewaySchema).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same GatewayReading in Avro single-object encoding (C3 01, the schema's fingerprint, the body). */
    public byte[] gatewaySingleObject(String device, long ts, Map<String, Double> values) {
        try {
            ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), gatewaySchema)
                    .encode(gatewayRecord(device, ts, values));
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private GenericRecord gatewayRecord(String device, long ts, Map<String, Double> values) {
        GenericRecord record = new GenericData.Record(gatewaySchema);
        record.put("device", device);
        record.put("timestamp", ts);
        record.put("values", values);
        record.put("status", new GenericData.EnumSymbol(gatewaySchema.getField("status").schema(), "OK"));
        return record;
    }
}
