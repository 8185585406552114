package io.windrose.decode.sparkplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.windrose.decode.sparkplug.SparkplugCommands.Command;
import io.windrose.decode.sparkplug.proto.SparkplugBProto.DataType;
import io.windrose.decode.sparkplug.proto.SparkplugBProto.Payload;
import io.windrose.decode.sparkplug.proto.SparkplugBProto.Payload.Metric;
import org.junit.jupiter.api.Test;

class SparkplugCommandsTest {
    private static final long T = 1_764_144_000_000L;

    @Test
    void rebirthRequest() throws Exception {
        Command c = SparkplugCommands.rebirth("plant", "edge-1", T);
        assertThat(c.topic()).isEqualTo("spBv1.0/plant/NCMD/edge-1");
        Payload p = Payload.parseFrom(c.payload());
        assertThat(p.getTimestamp()).isEqualTo(T);
        assertThat(p.getMetricsCount()).isEqualTo(1);
        Metric m = p.getMetrics(0);
        assertThat(m.getName()).isEqualTo("Node Control/Rebirth");
        assertThat(m.getDatatype()).isEqualTo(DataType.Boolean_VALUE);
        assertThat(m.getBooleanValue()).isTrue();
        assertThat(m.hasAlias()).isFalse();
    }

    @Test
    void writeByAliasWithTheBirthsDatatype() throws Exception {
        Command c = SparkplugCommands.write("plant", "edge-1", "pump", new MetricDef("Fan", 12L, DataType.Boolean), true, T);
        assertThat(c.topic()).isEqualTo("spBv1.0/plant/DCMD/edge-1/pump");
        Metric m = Payload.parseFrom(c.payload()).getMetrics(0);
        assertThat(m.getAlias()).isEqualTo(12);
        assertThat(m.hasName()).isFalse();
        assertThat(m.getDatatype()).isEqualTo(DataType.Boolean_VALUE);
        assertThat(m.getBooleanValue()).isTrue();
        assertThat(m.getTimestamp()).isEqualTo(T);
    }

    @Test
    void writeByNameWithoutAlias() throws Exception {
        Command c = SparkplugCommands.write("g", "n", null, new MetricDef("Setpoint", null, DataType.Float), 21.5, T);
        assertThat(c.topic()).isEqualTo("spBv1.0/g/NCMD/n");
        Metric m = Payload.parseFrom(c.payload()).getMetrics(0);
        assertThat(m.getName()).isEqualTo("Setpoint");
        assertThat(m.hasAlias()).isFalse();
        assertThat(m.getFloatValue()).isEqualTo(21.5f);
    }

    /** A written value, read back by the decoder with the same definition, is the value written. */
    @Test
    void whatIsWrittenDecodesToTheSameNumber() throws Exception {
        Object[][] cases = {
            {DataType.Int8, -5, -5.0}, {DataType.Int16, -300, -300.0}, {DataType.Int32, Integer.MIN_VALUE, (double) Integer.MIN_VALUE},
            {DataType.Int64, -1L << 40, (double) (-1L << 40)}, {DataType.UInt8, 255, 255.0}, {DataType.UInt16, 65535, 65535.0},
            {DataType.UInt32, 4_000_000_000L, 4e9}, {DataType.UInt64, 7L, 7.0}, {DataType.Double, 0.1, 0.1},
            {DataType.Float, 2.5f, 2.5}, {DataType.Int32, true, 1.0}, {DataType.Int16, 3.0, 3.0}, {DataType.Boolean, false, 0.0}};
        for (Object[] c : cases) {
            DataType type = (DataType) c[0];
            MetricDef def = new MetricDef("m", 3L, type);
            Metric written = Payload.parseFrom(SparkplugCommands.write("g", "n", null, def, c[1], T).payload()).getMetrics(0);
            assertThat(MetricValues.number(written, type, "m")).as("%s %s", type, c[1]).isEqualTo((double) c[2]);
        }
    }

    @Test
    void valuesThatDoNotFit() {
        Object[][] misfits = {{DataType.Int8, 128}, {DataType.UInt8, -1}, {DataType.UInt16, 70_000}, {DataType.Int32, 1.5},
            {DataType.UInt32, 1L << 32}, {DataType.UInt64, -1}, {DataType.Boolean, 1}, {DataType.String, 3},
            {DataType.Float, 1e300}, {DataType.Int64, "7"}, {DataType.Double, null}, {DataType.DataSet, 1},
            {DataType.Int64, Double.NaN}};
        for (Object[] c : misfits) {
            MetricDef def = new MetricDef("m", 3L, (DataType) c[0]);
            assertThatThrownBy(() -> SparkplugCommands.write("g", "n", null, def, c[1], T))
                    .as("%s %s", c[0], c[1]).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metric 'm'");
        }
    }

    @Test
    void strings() throws Exception {
        Command c = SparkplugCommands.write("g", "n", "d", new MetricDef("Mode", 4L, DataType.String), "auto", T);
        assertThat(Payload.parseFrom(c.payload()).getMetrics(0).getStringValue()).isEqualTo("auto");
    }
}
