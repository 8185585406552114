package io.windrose.decode.sparkplug;

import static io.windrose.decode.sparkplug.Payloads.metric;
import static io.windrose.decode.sparkplug.Payloads.payload;
import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.action.CommandThrottle;
import io.windrose.action.state.MqttCommand;
import io.windrose.action.state.SparkplugWrite;
import io.windrose.decode.sparkplug.proto.SparkplugBProto.DataType;
import io.windrose.decode.sparkplug.proto.SparkplugBProto.Payload;
import io.windrose.mqtt.MqttMessage;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The sparkplug action's writes: by the alias and datatype of the newest birth, whatever seq the births carry. */
class SparkplugWriteFunctionTest {
    private static final long T0 = 1_764_144_000_000L;

    @Test
    void aDeviceBornAgainMidSessionIsWrittenByItsNewAlias() throws Exception {
        try (var h = new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(
                new SparkplugWriteFunction(List.of(SparkplugRoute.of(route(), 1 << 20)))), SparkplugFunction.KEY,
                SparkplugWriteFunction.WRITE_KEY, Types.STRING)) {
            h.open();
            h.processElement1(new MqttMessage("spBv1.0/g/NBIRTH/n", Payloads.nbirth(T0, 3), T0), T0);
            h.processElement1(new MqttMessage("spBv1.0/g/DBIRTH/n/d", fanBirth(1, 40), T0), T0);
            // 250 data messages later (this stage does not see them), the device is born again with another alias:
            // seq 253 is "behind" 1 by 4 for a decoder that saw only the births, not a redelivery here
            h.processElement1(new MqttMessage("spBv1.0/g/DBIRTH/n/d", fanBirth(253, 41), T0 + 1), T0 + 1);
            h.processElement2(write(), T0 + 2);
            List<MqttCommand> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            ByteBuffer binary = out.get(0).getBinary().duplicate();
            byte[] bytes = new byte[binary.remaining()];
            binary.get(bytes);
            Payload.Metric written = Payload.parseFrom(bytes).getMetrics(0);
            assertThat(written.getAlias()).as("the newest birth's alias").isEqualTo(41);
            assertThat(written.getDatatype()).isEqualTo(DataType.Boolean.getNumber());
            assertThat(written.getBooleanValue()).isTrue();
            assertThat(out.get(0).getTopic()).isEqualTo("spBv1.0/g/DCMD/n/d");
        }
    }

    @Test
    void writesToTwoMetricsOfADeviceAreThrottledApartARebirthRequestOnItsOwn() {
        MqttCommand fan = MqttCommand.newBuilder().setTopic("spBv1.0/g/DCMD/n/d").setPayload("Fan=true")
                .setBinary(ByteBuffer.wrap(new byte[] {1})).setEventTime(0).setRule("r").setSensorId("s").build();
        MqttCommand lamp = MqttCommand.newBuilder(fan).setPayload("Lamp=false").build();
        MqttCommand rebirth = MqttCommand.newBuilder(fan).setTopic("spBv1.0/g/NCMD/n").setPayload("").build();
        MqttCommand text = MqttCommand.newBuilder(fan).setTopic("devices/s-1/fan/set").setPayload("ON").setBinary(null)
                .build();
        assertThat(CommandThrottle.key(fan)).isNotEqualTo(CommandThrottle.key(lamp));
        assertThat(CommandThrottle.key(rebirth)).isNotEqualTo(CommandThrottle.key(MqttCommand.newBuilder(rebirth)
                .setPayload("Uptime=0").build()));
        assertThat(CommandThrottle.key(text)).as("a text command: its topic, as before").isEqualTo("devices/s-1/fan/set");
    }

    private static byte[] fanBirth(int seq, long alias) {
        return payload(T0, seq).addMetrics(metric("Fan", alias, DataType.Boolean).setBooleanValue(false)).build()
                .toByteArray();
    }

    private static SparkplugWrite write() {
        return SparkplugWrite.newBuilder().setGroup("g").setEdgeNode("n").setDevice("d").setMetric("Fan")
                .setValue("true").setValueType("boolean").setEventTime(T0).setRule("hot").setSensorId("n/d").build();
    }

    private static io.windrose.decode.RouteConfig route() {
        io.windrose.decode.RouteConfig config = new io.windrose.decode.RouteConfig();
        config.name = "plant";
        config.format = io.windrose.decode.PayloadFormat.SPARKPLUG_B;
        config.topics = List.of("spBv1.0/#");
        return config;
    }
}
