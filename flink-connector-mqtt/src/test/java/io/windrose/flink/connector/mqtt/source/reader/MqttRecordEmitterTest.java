package io.windrose.flink.connector.mqtt.source.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.flink.connector.mqtt.source.reader.deserializer.MqttDeserializationSchema;
import io.windrose.flink.connector.mqtt.source.reader.deserializer.MqttRecord;
import io.windrose.flink.connector.mqtt.source.split.MqttSubscriptionSplit;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.metrics.groups.InternalSourceReaderMetricGroup;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

class MqttRecordEmitterTest {

    @Test
    void theSchemaSeesTheWholeMessageAndEveryRecordItMakesCarriesTheArrivalTimeAndTheAckWaitsForACheckpoint()
            throws Exception {
        CheckpointAcks acks = new CheckpointAcks();
        MqttReaderMetrics metrics = new MqttReaderMetrics(InternalSourceReaderMetricGroup.mock(
                new UnregisteredMetricsGroup()), acks);
        // one record per user property, none for a message without
        MqttDeserializationSchema<String> perProperty = new MqttDeserializationSchema<>() {
            @Override
            public void deserialize(MqttRecord record, Collector<String> out) {
                for (MqttRecord.UserProperty property : record.userProperties()) {
                    out.collect(record.topic() + " " + property.name() + "=" + property.value() + " qos"
                            + record.qos() + (record.retained() ? " retained" : "") + " "
                            + record.contentType().orElse("-") + " "
                            + record.correlationData().map(b -> new String(b, StandardCharsets.UTF_8)).orElse("-"));
                }
            }

            @Override
            public TypeInformation<String> getProducedType() {
                return Types.STRING;
            }
        };
        MqttRecordEmitter<String> emitter = new MqttRecordEmitter<>(perProperty, acks, metrics);
        Output output = new Output();
        List<String> acked = new ArrayList<>();
        MqttSubscriptionSplit split = new MqttSubscriptionSplit("c-0", List.of("t/#"));
        emitter.emitRecord(new ReceivedMessage(new MqttRecord("t/1", new byte[3], 2, true, 1_000L,
                List.of(new MqttRecord.UserProperty("a", "1"), new MqttRecord.UserProperty("a", "2")),
                "application/json", "req-7".getBytes(StandardCharsets.UTF_8), "reply/to"), () -> acked.add("t/1")),
                output, split);
        emitter.emitRecord(new ReceivedMessage(new MqttRecord("t/2", new byte[5], 1, false, 2_000L),
                () -> acked.add("t/2")), output, split);

        assertThat(output.records).containsExactly(
                "t/1 a=1 qos2 retained application/json req-7 @1000", "t/1 a=2 qos2 retained application/json req-7 @1000");
        assertThat(metrics.bytesIn.getCount()).isEqualTo(8);
        acks.received();
        acks.received();
        acks.snapshot(1);
        assertThat(acked).isEmpty();
        acks.complete(1);
        assertThat(acked).as("a message that made no record is acked too").containsExactly("t/1", "t/2");
    }

    private static final class Output implements SourceOutput<String> {
        final List<String> records = new ArrayList<>();

        @Override
        public void collect(String record) {
            throw new AssertionError("without a timestamp: " + record);
        }

        @Override
        public void collect(String record, long timestamp) {
            records.add(record + " @" + timestamp);
        }

        @Override
        public void emitWatermark(Watermark watermark) {}

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
    }
}
