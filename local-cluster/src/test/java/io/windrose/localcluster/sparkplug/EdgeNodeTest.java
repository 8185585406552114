package io.windrose.localcluster.sparkplug;

import static io.windrose.localcluster.sparkplug.SparkplugSchema.METRIC;
import static io.windrose.localcluster.sparkplug.SparkplugSchema.PAYLOAD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.DynamicMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EdgeNodeTest {
    private static final long T = 1_700_000_000_000L;

    private static EdgeNode node() {
        return new EdgeNode("plant-1", "edge-1")
                .nodeMetric("Uptime", 1, DataType.UINT64, 0L)
                .deviceMetric("press-1", "Pressure", 10, DataType.DOUBLE, 6.0)
                .deviceMetric("press-1", "Running", 12, DataType.BOOLEAN, true)
                .deviceMetric("oven-1", "Fan", 22, DataType.BOOLEAN, false);
    }

    /** A command as a host application writes it: protobuf's own writer, not the client's. */
    private static byte[] command(Object... metrics) {
        DynamicMessage.Builder payload = DynamicMessage.newBuilder(PAYLOAD)
                .setField(PAYLOAD.findFieldByName("timestamp"), T);
        for (int i = 0; i < metrics.length; i += 3) {
            DynamicMessage.Builder m = DynamicMessage.newBuilder(METRIC)
                    .setField(METRIC.findFieldByName("datatype"), DataType.BOOLEAN.number())
                    .setField(METRIC.findFieldByName("boolean_value"), metrics[i + 2]);
            if (metrics[i] != null) {
                m.setField(METRIC.findFieldByName("name"), metrics[i]);
            }
            if (metrics[i + 1] != null) {
                m.setField(METRIC.findFieldByName("alias"), metrics[i + 1]);
            }
            payload.addRepeatedField(PAYLOAD.findFieldByName("metrics"), m.build());
        }
        return payload.build().toByteArray();
    }

    @Test
    void theWillIsAnNdeathWithTheBdSeqOfItsConnectionAndTheNbirthCarriesTheSame() {
        EdgeNode node = node();
        for (int connection = 0; connection < 258; connection++) {
            SparkplugMessage will = node.connectWill();
            assertThat(will.topic().toString()).isEqualTo("spBv1.0/plant-1/NDEATH/edge-1");
            assertThat(will.qos()).isEqualTo(1);
            assertThat(will.retain()).isFalse();
            Payload death = will.decoded();
            assertThat(death.seq()).as("an NDEATH has no seq").isNull();
            assertThat(death.metrics()).containsExactly(new Metric("bdSeq", null, null, DataType.INT64, false, false,
                    false, (long) (connection % 256)));
            Payload birth = node.nbirth(T).decoded();
            assertThat(birth.metric("bdSeq").value()).isEqualTo((long) (connection % 256));
            assertThat(birth.metric("bdSeq").datatype()).isEqualTo(DataType.INT64);
        }
        // the NDEATH a node publishes itself before it leaves: the same bdSeq, QoS 0, still no seq
        SparkplugMessage ndeath = node.ndeath(T);
        assertThat(ndeath.decoded().metric("bdSeq").value()).isEqualTo(1L);
        assertThat(ndeath.decoded().seq()).isNull();
    }

    @Test
    void birthsDefineNamesAliasesAndDatatypesAndDataGoesByAliasOnly() {
        EdgeNode node = node();
        node.connectWill();
        List<SparkplugMessage> births = node.births(T);
        assertThat(births).extracting(m -> m.topic().toString()).containsExactly("spBv1.0/plant-1/NBIRTH/edge-1",
                "spBv1.0/plant-1/DBIRTH/edge-1/press-1", "spBv1.0/plant-1/DBIRTH/edge-1/oven-1");
        assertThat(births).allSatisfy(m -> assertThat(m.qos()).isZero()).allSatisfy(m -> assertThat(m.retain()).isFalse());
        assertThat(births).extracting(m -> m.decoded().seq()).containsExactly(0L, 1L, 2L);
        Payload nbirth = births.get(0).decoded();
        assertThat(nbirth.timestamp()).isEqualTo(T);
        assertThat(nbirth.metrics()).containsExactly(
                new Metric("bdSeq", null, T, DataType.INT64, false, false, false, 0L),
                // the specification: no alias for the rebirth metric, a Boolean, false
                new Metric("Node Control/Rebirth", null, T, DataType.BOOLEAN, false, false, false, false),
                new Metric("Uptime", 1L, T, DataType.UINT64, false, false, false, 0L));
        assertThat(births.get(1).decoded().metrics()).containsExactly(
                new Metric("Pressure", 10L, T, DataType.DOUBLE, false, false, false, 6.0),
                new Metric("Running", 12L, T, DataType.BOOLEAN, false, false, false, true));

        Payload ddata = node.ddata("press-1", T + 1000, Map.of("Running", false, "Pressure", 1.5)).decoded();
        assertThat(ddata.seq()).isEqualTo(3L);
        assertThat(ddata.metrics()).containsExactly(
                new Metric(null, 10L, T + 1000, DataType.DOUBLE, false, false, false, 1.5),
                new Metric(null, 12L, T + 1000, DataType.BOOLEAN, false, false, false, false));
        assertThat(node.value("press-1", "Pressure")).isEqualTo(1.5);
        // a rebirth carries the current values
        assertThat(node.births(T + 2000).get(1).decoded().metric("Pressure").value()).isEqualTo(1.5);
    }

    @Test
    void seqCountsEveryMessageOfTheNodeAndWrapsFrom255To0AndTheNbirthRestartsIt() {
        EdgeNode node = node();
        node.connectWill();
        List<Long> seqs = new ArrayList<>();
        seqs.add(node.nbirth(T).decoded().seq());
        seqs.add(node.dbirth("press-1", T).decoded().seq());
        seqs.add(node.dbirth("oven-1", T).decoded().seq());
        for (int i = 0; i < 300; i++) {
            SparkplugMessage message = switch (i % 4) {
                case 0 -> node.ddata("press-1", T, Map.of("Pressure", 5.0));
                case 1 -> node.ndata(T, Map.of("Uptime", (long) i));
                case 2 -> node.ddeath("oven-1", T);
                default -> node.dbirth("oven-1", T);
            };
            seqs.add(message.decoded().seq());
            assertThat(node.seq()).isEqualTo(seqs.get(seqs.size() - 1).intValue());
        }
        for (int i = 0; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).as("message %d", i).isEqualTo((long) (i % 256));
        }
        assertThat(seqs).contains(255L);
        assertThat(node.nbirth(T).decoded().seq()).isZero();
        assertThat(node.dbirth("press-1", T).decoded().seq()).isOne();
    }

    @Test
    void aRebirthRequestIsRecognisedByNameAndValue() throws Exception {
        EdgeNode node = node();
        String ncmd = "spBv1.0/plant-1/NCMD/edge-1";
        assertThat(node.command(ncmd, command("Node Control/Rebirth", null, true)).rebirth()).isTrue();
        EdgeNode.Command no = node.command(ncmd, command("Node Control/Rebirth", null, false));
        assertThat(no.rebirth()).isFalse();
        assertThat(no.unknown()).hasSize(1);
        assertThat(node.command(ncmd, command("Node Control/Reboot", null, true)).rebirth()).isFalse();
        // not this node's, not a command, or a device's: never a rebirth
        assertThat(node.command("spBv1.0/plant-1/NCMD/edge-2", command("Node Control/Rebirth", null, true))).isNull();
        assertThat(node.command("spBv1.0/plant-2/NCMD/edge-1", command("Node Control/Rebirth", null, true))).isNull();
        assertThat(node.command("spBv1.0/plant-1/NDATA/edge-1", command("Node Control/Rebirth", null, true))).isNull();
        assertThat(node.command("spBv1.0/plant-1/DCMD/edge-1/oven-1", command("Node Control/Rebirth", null, true))
                .rebirth()).isFalse();
        assertThatThrownBy(() -> node.command(ncmd, new byte[] {0x12, 0x7f}))
                .isInstanceOf(com.google.protobuf.InvalidProtocolBufferException.class);
    }

    @Test
    void aDcmdWritesAMetricByAliasOrName() throws Exception {
        EdgeNode node = node();
        String dcmd = "spBv1.0/plant-1/DCMD/edge-1/oven-1";
        assertThat(node.command(dcmd, command(null, 22L, true)).writes()).containsExactly(Map.entry("Fan", true));
        assertThat(node.command(dcmd, command("Fan", null, false)).writes()).containsExactly(Map.entry("Fan", false));
        // press-1's alias on oven-1's topic, and an alias nobody has
        EdgeNode.Command stray = node.command(dcmd, command(null, 12L, true, null, 77L, true));
        assertThat(stray.writes()).isEmpty();
        assertThat(stray.unknown()).extracting(Metric::alias).containsExactly(12L, 77L);
        assertThat(node.command("spBv1.0/plant-1/DCMD/edge-1/mixer-9", command(null, 22L, true))).isNull();
    }

    @Test
    void theSpecificationsRulesAreKept() {
        EdgeNode node = node();
        assertThatThrownBy(() -> node.nbirth(T)).hasMessageContaining("connectWill");
        node.connectWill();
        assertThatThrownBy(() -> node.ddata("press-1", T, Map.of("Pressure", 1.0))).hasMessageContaining("no NBIRTH");
        node.nbirth(T);
        assertThatThrownBy(() -> node.ddata("press-1", T, Map.of("Pressure", 1.0))).hasMessageContaining("offline");
        node.dbirth("press-1", T);
        assertThatThrownBy(() -> node.ddata("press-1", T, Map.of("Flow", 1.0))).hasMessageContaining("not a metric");
        assertThatThrownBy(() -> node.deviceMetric("oven-1", "Heater", 10, DataType.BOOLEAN, false))
                .hasMessageContaining("alias 10 is Pressure of device press-1's");
        assertThatThrownBy(() -> node.nodeMetric("bdSeq", 99, DataType.INT64, 0L)).hasMessageContaining("own");
        assertThatThrownBy(() -> new EdgeNode("plant/1", "edge-1")).hasMessageContaining("cannot be a Sparkplug ID");
        assertThatThrownBy(() -> node.deviceMetric("oven+1", "Heater", 50, DataType.BOOLEAN, false))
                .hasMessageContaining("cannot be a Sparkplug ID");
        node.ddeath("press-1", T);
        assertThat(node.online("press-1")).isFalse();
        assertThatThrownBy(() -> node.ddata("press-1", T, Map.of("Pressure", 1.0))).hasMessageContaining("offline");
    }
}
