package io.windrose.decode.sparkplug;

import static io.windrose.decode.sparkplug.Payloads.byAlias;
import static io.windrose.decode.sparkplug.Payloads.metric;
import static io.windrose.decode.sparkplug.Payloads.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.windrose.deadletter.DeadLetterReason;
import io.windrose.decode.sparkplug.SparkplugResult.Ignored;
import io.windrose.decode.sparkplug.SparkplugResult.MetricReading;
import io.windrose.decode.sparkplug.SparkplugResult.Offline;
import io.windrose.decode.sparkplug.SparkplugResult.Readings;
import io.windrose.decode.sparkplug.SparkplugResult.Rejected;
import io.windrose.decode.sparkplug.proto.SparkplugBProto.DataType;
import io.windrose.decode.sparkplug.proto.SparkplugBProto.Payload;
import io.windrose.decode.sparkplug.proto.SparkplugBProto.Payload.Metric;
import io.windrose.decode.sparkplug.state.SparkplugNodeState;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class SparkplugDecoderTest {
    private static final long T0 = 1_764_144_000_000L;
    private final SparkplugDecoder decoder = new SparkplugDecoder(SparkplugOptions.DEFAULTS);
    private NodeSession session = new NodeSession();

    private SparkplugResult send(String topic, byte[] payload) {
        return send(topic, payload, T0 + 60_000);
    }

    private SparkplugResult send(String topic, byte[] payload, long receivedAt) {
        try {
            return decoder.decode(SparkplugTopic.parse(topic), payload, receivedAt, session);
        } catch (SparkplugException e) {
            throw new AssertionError(e);
        }
    }

    private Readings readings(SparkplugResult r) {
        assertThat(r).isInstanceOf(Readings.class);
        return (Readings) r;
    }

    private Rejected rejected(SparkplugResult r, DeadLetterReason reason) {
        assertThat(r).isInstanceOf(Rejected.class);
        Rejected rej = (Rejected) r;
        assertThat(rej.reason()).as(rej.detail()).isEqualTo(reason);
        return rej;
    }

    private void born() {
        readings(send("spBv1.0/g/NBIRTH/n", Payloads.nbirth(T0, 7)));
        readings(send("spBv1.0/g/DBIRTH/n/d", Payloads.dbirth(T0, 1)));
    }

    @Test
    void birthThenDataByAlias() {
        Readings birth = readings(send("spBv1.0/g/NBIRTH/n", Payloads.nbirth(T0, 7)));
        assertThat(birth.birth()).isTrue();
        assertThat(birth.device()).isNull();
        assertThat(birth.readings()).extracting(MetricReading::name, MetricReading::value, MetricReading::timestamp,
                MetricReading::datatype)
                .containsExactly(tuple("Temperature", 20.5, T0, DataType.Float), tuple("Running", 1.0, T0, DataType.Boolean));
        assertThat(birth.skipped()).extracting(SparkplugResult.SkippedMetric::name)
                .containsExactly("bdSeq", "Node Control/Rebirth");
        assertThat(session.online()).isTrue();
        assertThat(session.bdSeq()).isEqualTo(7L);

        Readings device = readings(send("spBv1.0/g/DBIRTH/n/d", Payloads.dbirth(T0, 1)));
        assertThat(device.device()).isEqualTo("d");
        assertThat(device.readings()).extracting(MetricReading::name, MetricReading::value)
                .containsExactly(tuple("Pressure", 1.5), tuple("Count", 7.0));
        assertThat(device.skipped()).extracting(s -> s.name() + ": " + s.why()).containsExactly("Label: text, not a number");

        Readings data = readings(send("spBv1.0/g/NDATA/n", Payloads.ndata(T0 + 1000, 2, 21.25f)));
        assertThat(data.birth()).isFalse();
        assertThat(data.readings()).containsExactly(new MetricReading("Temperature", 21.25, T0 + 1000, DataType.Float));

        Readings ddata = readings(send("spBv1.0/g/DDATA/n/d", Payloads.ddata(T0 + 2000, 3, 2.5)));
        assertThat(ddata.device()).isEqualTo("d");
        assertThat(ddata.readings()).containsExactly(new MetricReading("Pressure", 2.5, T0 + 2000, DataType.Double));
        assertThat(ddata.requestRebirth()).isFalse();
    }

    @Test
    void dataByNameWhenTheBirthGaveNoAlias() {
        byte[] birth = payload(T0, 0).addMetrics(Payloads.bdSeq(1))
                .addMetrics(Metric.newBuilder().setName("Level").setDatatype(DataType.Int16_VALUE).setIntValue(3))
                .build().toByteArray();
        readings(send("spBv1.0/g/NBIRTH/n", birth));
        byte[] data = payload(T0 + 5, 1).addMetrics(Metric.newBuilder().setName("Level").setIntValue(-4)).build()
                .toByteArray();
        assertThat(readings(send("spBv1.0/g/NDATA/n", data)).readings())
                .containsExactly(new MetricReading("Level", -4, T0 + 5, DataType.Int16));
    }

    @Test
    void eachMetricsOwnTimestampElseThePayloadsElseArrival() {
        born();
        byte[] data = Payload.newBuilder().setSeq(2).setTimestamp(T0 + 10)
                .addMetrics(byAlias(1).setFloatValue(1).setTimestamp(T0 + 3))
                .addMetrics(byAlias(2).setBooleanValue(false))
                .build().toByteArray();
        assertThat(readings(send("spBv1.0/g/NDATA/n", data)).readings())
                .extracting(MetricReading::name, MetricReading::value, MetricReading::timestamp)
                .containsExactly(tuple("Temperature", 1.0, T0 + 3), tuple("Running", 0.0, T0 + 10));

        byte[] noTimes = Payload.newBuilder().setSeq(3).addMetrics(byAlias(1).setFloatValue(2)).build().toByteArray();
        assertThat(readings(send("spBv1.0/g/NDATA/n", noTimes, T0 + 99)).readings().get(0).timestamp()).isEqualTo(T0 + 99);
    }

    @Test
    void badTimestamps() {
        born();
        byte[] negative = payload(T0, 2).addMetrics(byAlias(1).setFloatValue(1).setTimestamp(-5)).build().toByteArray();
        rejected(send("spBv1.0/g/NDATA/n", negative), DeadLetterReason.BAD_TIMESTAMP);
        byte[] year12000 = payload(T0, 3).addMetrics(byAlias(1).setFloatValue(1).setTimestamp(316_000_000_000_000L))
                .build().toByteArray();
        rejected(send("spBv1.0/g/NDATA/n", year12000), DeadLetterReason.BAD_TIMESTAMP);
    }

    /** Births with one metric of each datatype and value; the data by alias must read the same number. */
    private double decodeOne(DataType type, Metric.Builder value) {
        session = new NodeSession();
        byte[] birth = payload(T0, 0).addMetrics(Payloads.bdSeq(1))
                .addMetrics(value.clone().setName("m").setAlias(5).setDatatype(type.getNumber())).build().toByteArray();
        Readings b = readings(send("spBv1.0/g/NBIRTH/n", birth));
        byte[] data = payload(T0 + 1, 1).addMetrics(value.clone().setAlias(5)).build().toByteArray();
        Readings d = readings(send("spBv1.0/g/NDATA/n", data));
        assertThat(b.readings()).hasSize(1);
        assertThat(d.readings()).hasSize(1);
        assertThat(d.readings().get(0).value()).isEqualTo(b.readings().get(0).value());
        assertThat(d.readings().get(0).datatype()).isEqualTo(type);
        return d.readings().get(0).value();
    }

    @Test
    void integerDatatypes() {
        assertThat(decodeOne(DataType.Int8, Metric.newBuilder().setIntValue(-1))).isEqualTo(-1); // sign-extended
        assertThat(decodeOne(DataType.Int8, Metric.newBuilder().setIntValue(0xFF))).isEqualTo(-1); // masked
        assertThat(decodeOne(DataType.Int8, Metric.newBuilder().setIntValue(127))).isEqualTo(127);
        assertThat(decodeOne(DataType.Int8, Metric.newBuilder().setIntValue(-128))).isEqualTo(-128);
        assertThat(decodeOne(DataType.Int16, Metric.newBuilder().setIntValue(-87))).isEqualTo(-87);
        assertThat(decodeOne(DataType.Int16, Metric.newBuilder().setIntValue(0xFFA9))).isEqualTo(-87);
        assertThat(decodeOne(DataType.Int32, Metric.newBuilder().setIntValue(Integer.MIN_VALUE))).isEqualTo(Integer.MIN_VALUE);
        assertThat(decodeOne(DataType.Int32, Metric.newBuilder().setLongValue(-5))).isEqualTo(-5); // some encoders
        assertThat(decodeOne(DataType.Int64, Metric.newBuilder().setLongValue(-9_000_000_000L))).isEqualTo(-9e9);
        assertThat(decodeOne(DataType.UInt8, Metric.newBuilder().setIntValue(255))).isEqualTo(255);
        assertThat(decodeOne(DataType.UInt16, Metric.newBuilder().setIntValue(65535))).isEqualTo(65535);
        assertThat(decodeOne(DataType.UInt32, Metric.newBuilder().setIntValue(-1))).isEqualTo(4_294_967_295.0);
        assertThat(decodeOne(DataType.UInt32, Metric.newBuilder().setLongValue(4_000_000_000L))).isEqualTo(4e9);
        assertThat(decodeOne(DataType.UInt64, Metric.newBuilder().setLongValue(-1))).isEqualTo(18_446_744_073_709_551_615.0);
        assertThat(decodeOne(DataType.UInt64, Metric.newBuilder().setIntValue(12))).isEqualTo(12);
    }

    @Test
    void floatDoubleAndBooleanDatatypes() {
        assertThat(decodeOne(DataType.Float, Metric.newBuilder().setFloatValue(-0.5f))).isEqualTo(-0.5);
        assertThat(decodeOne(DataType.Double, Metric.newBuilder().setDoubleValue(1e300))).isEqualTo(1e300);
        assertThat(decodeOne(DataType.Double, Metric.newBuilder().setFloatValue(0.25f))).isEqualTo(0.25);
        assertThat(decodeOne(DataType.Boolean, Metric.newBuilder().setBooleanValue(true))).isEqualTo(1);
        assertThat(decodeOne(DataType.Boolean, Metric.newBuilder().setBooleanValue(false))).isEqualTo(0);
    }

    @Test
    void integersOutOfTheirRangeAreBadPayloads() {
        for (Object[] c : new Object[][] {{DataType.UInt8, 256}, {DataType.UInt8, -1}, {DataType.Int8, 0x1FF},
            {DataType.Int16, 0x10000}, {DataType.UInt16, -2}}) {
            session = new NodeSession();
            byte[] birth = payload(T0, 0).addMetrics(metric("m", 5, (DataType) c[0]).setIntValue((int) c[1]))
                    .build().toByteArray();
            rejected(send("spBv1.0/g/NBIRTH/n", birth), DeadLetterReason.SPARKPLUG_BAD_PAYLOAD);
        }
        session = new NodeSession();
        byte[] uint32 = payload(T0, 0).addMetrics(metric("m", 5, DataType.UInt32).setLongValue(1L << 32)).build()
                .toByteArray();
        assertThat(rejected(send("spBv1.0/g/NBIRTH/n", uint32), DeadLetterReason.SPARKPLUG_BAD_PAYLOAD).detail())
                .contains("out of the range of UInt32");
    }

    @Test
    void wrongValueKindsAreBadPayloads() {
        born();
        byte[] stringForFloat = payload(T0, 2).addMetrics(byAlias(1).setStringValue("21.5")).build().toByteArray();
        assertThat(rejected(send("spBv1.0/g/NDATA/n", stringForFloat), DeadLetterReason.SPARKPLUG_BAD_PAYLOAD).detail())
                .contains("'Temperature' is Float but carries a string_value");
        byte[] intForBoolean = payload(T0, 3).addMetrics(byAlias(2).setIntValue(1)).build().toByteArray();
        rejected(send("spBv1.0/g/NDATA/n", intForBoolean), DeadLetterReason.SPARKPLUG_BAD_PAYLOAD);
        byte[] otherDatatype = payload(T0, 4).addMetrics(byAlias(1).setDatatype(DataType.Double_VALUE).setDoubleValue(1))
                .build().toByteArray();
        assertThat(rejected(send("spBv1.0/g/NDATA/n", otherDatatype), DeadLetterReason.SPARKPLUG_BAD_PAYLOAD).detail())
                .contains("is Float in the birth but datatype 10 here");
        byte[] neither = payload(T0, 5).addMetrics(Metric.newBuilder().setFloatValue(1)).build().toByteArray();
        rejected(send("spBv1.0/g/NDATA/n", neither), DeadLetterReason.SPARKPLUG_BAD_PAYLOAD);
        // none of these is a reason to distrust the birth: the next good message decodes
        readings(send("spBv1.0/g/NDATA/n", Payloads.ndata(T0, 6, 1f)));
    }

    @Test
    void nonFiniteValuesAreNonFinite() {
        born();
        byte[] nan = payload(T0, 2).addMetrics(byAlias(1).setFloatValue(Float.NaN)).build().toByteArray();
        rejected(send("spBv1.0/g/NDATA/n", nan), DeadLetterReason.NON_FINITE);
    }

    @Test
    void nonNumericDatatypesNullsAndControlMetricsAreSkippedAndNamed() {
        byte[] birth = payload(T0, 0).addMetrics(Payloads.bdSeq(1))
                .addMetrics(metric("Text", 1, DataType.String).setStringValue("x"))
                .addMetrics(metric("When", 2, DataType.DateTime).setLongValue(T0))
                .addMetrics(metric("Blob", 3, DataType.Bytes).setBytesValue(com.google.protobuf.ByteString.copyFromUtf8("b")))
                .addMetrics(metric("Table", 4, DataType.DataSet).setDatasetValue(Payload.DataSet.newBuilder().setNumOfColumns(0)))
                .addMetrics(metric("Udt", 5, DataType.Template).setTemplateValue(Payload.Template.newBuilder().setIsDefinition(true)))
                .addMetrics(metric("Arr", 6, DataType.FloatArray).setBytesValue(com.google.protobuf.ByteString.copyFrom(new byte[8])))
                .addMetrics(metric("Id", 7, DataType.UUID).setStringValue("u"))
                .addMetrics(metric("Missing", 8, DataType.Float).setIsNull(true))
                .addMetrics(metric("Device Control/Reset", 9, DataType.Boolean).setBooleanValue(false))
                .addMetrics(metric("Ok", 10, DataType.Int32).setIntValue(1))
                .build().toByteArray();
        Readings r = readings(send("spBv1.0/g/NBIRTH/n", birth));
        assertThat(r.readings()).extracting(MetricReading::name).containsExactly("Ok");
        assertThat(r.skipped()).extracting(s -> s.name() + " " + s.datatype() + ": " + s.why()).containsExactly(
                "bdSeq Int64: a control metric",
                "Text String: text, not a number",
                "When DateTime: a date, not a measurement",
                "Blob Bytes: bytes, not a number",
                "Table DataSet: a data set (not read)",
                "Udt Template: a template (not read)",
                "Arr FloatArray: an array (not read)",
                "Id UUID: text, not a number",
                "Missing Float: null",
                "Device Control/Reset Boolean: a control metric");
        byte[] data = payload(T0 + 1, 1).addMetrics(byAlias(8).setIsNull(true)).addMetrics(byAlias(1).setStringValue("y"))
                .build().toByteArray();
        Readings d = readings(send("spBv1.0/g/NDATA/n", data));
        assertThat(d.readings()).isEmpty();
        assertThat(d.skipped()).extracting(SparkplugResult.SkippedMetric::name).containsExactly("Missing", "Text");
    }

    @Test
    void seqWrapsFrom255To0() {
        readings(send("spBv1.0/g/NBIRTH/n", Payloads.nbirth(T0, 1)));
        for (int i = 1; i <= 600; i++) {
            Readings r = readings(send("spBv1.0/g/NDATA/n", Payloads.ndata(T0 + i, i % 256, i)));
            assertThat(r.requestRebirth()).isFalse();
        }
        assertThat(session.lastSeq()).isEqualTo(600 % 256);
        assertThat(session.staleReason()).isNull();
    }

    @Test
    void aSequenceGapDeadLettersDataUntilTheRebirthItAsksFor() {
        born();
        readings(send("spBv1.0/g/NDATA/n", Payloads.ndata(T0, 2, 1f), T0));
        Rejected gap = rejected(send("spBv1.0/g/NDATA/n", Payloads.ndata(T0, 5, 1f), T0 + 1),
                DeadLetterReason.SPARKPLUG_SEQUENCE_GAP);
        assertThat(gap.detail()).contains("seq 5 after 2 (expected 3)");
        assertThat(gap.requestRebirth()).isTrue();
        // in order again, but what was lost may have changed the aliases: still dead letters, no second request yet
        Rejected next = rejected(send("spBv1.0/g/DDATA/n/d", Payloads.ddata(T0, 6, 1), T0 + 2),
                DeadLetterReason.SPARKPLUG_SEQUENCE_GAP);
        assertThat(next.requestRebirth()).isFalse();
        assertThat(next.detail()).contains("waits for a rebirth");
        // one request per interval
        assertThat(((Rejected) send("spBv1.0/g/NDATA/n", Payloads.ndata(T0, 7, 1f), T0 + 10_001)).requestRebirth()).isTrue();
        // the rebirth: NBIRTH (seq 0), DBIRTH, and data decodes again
        readings(send("spBv1.0/g/NBIRTH/n", Payloads.nbirth(T0, 8), T0 + 10_002));
        readings(send("spBv1.0/g/DBIRTH/n/d", Payloads.dbirth(T0, 1), T0 + 10_003));
        readings(send("spBv1.0/g/DDATA/n/d", Payloads.ddata(T0, 2, 1), T0 + 10_004));
    }

    @Test
    void decodeAfterGapDecodesAndStillAsks() {
        SparkplugDecoder lenient = new SparkplugDecoder(new SparkplugOptions(1024, 100, 10, 10_000, true));
        NodeSession s = new NodeSession();
        lenient.decode(topic("spBv1.0/g/NBIRTH/n"), Payloads.nbirth(T0, 1), T0, s);
        SparkplugResult r = lenient.decode(topic("spBv1.0/g/NDATA/n"), Payloads.ndata(T0, 9, 3f), T0, s);
        assertThat(readings(r).readings()).hasSize(1);
        assertThat(r.requestRebirth()).isTrue();
        assertThat(lenient.decode(topic("spBv1.0/g/NDATA/n"), Payloads.ndata(T0, 10, 3f), T0, s))
                .isInstanceOfSatisfying(Readings.class, x -> assertThat(x.requestRebirth()).isFalse());
    }

    @Test
    void aRepeatedSeqIsARedeliveryAndIgnored() {
        born();
        readings(send("spBv1.0/g/NDATA/n", Payloads.ndata(T0, 2, 1f)));
        assertThat(send("spBv1.0/g/NDATA/n", Payloads.ndata(T0, 2, 1f))).isInstanceOf(Ignored.class);
        readings(send("spBv1.0/g/NDATA/n", Payloads.ndata(T0, 3, 1f)));
    }

    @Test
    void messagesALittleBehindTheLastAreRedeliveriesAfterARestoreAndFarBehindIsAGap() {
        born();
        for (int seq = 2; seq <= 6; seq++) {
            readings(send("spBv1.0/g/NDATA/n", Payloads.ndata(T0, seq, 1f)));
        }
        // the broker delivers 3..6 again (taken before the checkpoint, not yet acknowledged when the job failed)
        for (int seq = 3; seq <= 6; seq++) {
            assertThat(send("spBv1.0/g/NDATA/n", Payloads.ndata(T0, seq, 1f))).as("seq " + seq).isInstanceOf(Ignored.class);
        }
        readings(send("spBv1.0/g/NDATA/n", Payloads.ndata(T0, 7, 1f)));
        // 100 behind is 156 ahead: messages were lost
        rejected(send("spBv1.0/g/NDATA/n", Payloads.ndata(T0, (7 - 100) & 0xFF, 1f)), DeadLetterReason.SPARKPLUG_SEQUENCE_GAP);
    }

    @Test
    void seqOutsideItsRangeIsABadPayload() {
        born();
        byte[] big = Payload.newBuilder().setSeq(256).setTimestamp(T0).build().toByteArray();
        rejected(send("spBv1.0/g/NDATA/n", big), DeadLetterReason.SPARKPLUG_BAD_PAYLOAD);
    }

    @Test
    void unknownAliasAsksForARebirthOncePerInterval() {
        born();
        byte[] unknown = payload(T0, 2).addMetrics(byAlias(99).setFloatValue(1)).build().toByteArray();
        Rejected r = rejected(send("spBv1.0/g/NDATA/n", unknown, T0), DeadLetterReason.SPARKPLUG_UNKNOWN_ALIAS);
        assertThat(r.detail()).contains("alias 99 is not in the birth");
        assertThat(r.requestRebirth()).isTrue();
        Rejected again = rejected(send("spBv1.0/g/NDATA/n", Payloads.ndata(T0, 3, 1f), T0 + 9_999),
                DeadLetterReason.SPARKPLUG_UNKNOWN_ALIAS);
        assertThat(again.requestRebirth()).isFalse();
        assertThat(rejected(send("spBv1.0/g/NDATA/n", Payloads.ndata(T0, 4, 1f), T0 + 10_000),
                DeadLetterReason.SPARKPLUG_UNKNOWN_ALIAS).requestRebirth()).isTrue();
    }

    @Test
    void dataBeforeAnyBirthAsksForOne() {
        Rejected r = rejected(send("spBv1.0/g/DDATA/n/d", Payloads.ddata(T0, 4, 1)), DeadLetterReason.SPARKPLUG_UNKNOWN_ALIAS);
        assertThat(r.detail()).contains("no NBIRTH of the node is known");
        assertThat(r.requestRebirth()).isTrue();
        readings(send("spBv1.0/g/NBIRTH/n", Payloads.nbirth(T0, 1)));
        Rejected noDevice = rejected(send("spBv1.0/g/DDATA/n/d", Payloads.ddata(T0, 1, 1)),
                DeadLetterReason.SPARKPLUG_UNKNOWN_ALIAS);
        assertThat(noDevice.detail()).contains("no DBIRTH of the device");
    }

    @Test
    void aliasCollisionsAndDuplicateNamesInABirthAreBadPayloads() {
        byte[] collision = payload(T0, 0).addMetrics(Payloads.bdSeq(1))
                .addMetrics(metric("A", 1, DataType.Float).setFloatValue(1))
                .addMetrics(metric("B", 1, DataType.Float).setFloatValue(2))
                .build().toByteArray();
        assertThat(rejected(send("spBv1.0/g/NBIRTH/n", collision), DeadLetterReason.SPARKPLUG_BAD_PAYLOAD).detail())
                .contains("alias 1 is given to both 'A' and 'B'");
        assertThat(session.online()).isFalse();
        // the node's data waits for a birth that can be read
        rejected(send("spBv1.0/g/NDATA/n", Payloads.ndata(T0, 1, 1f)), DeadLetterReason.SPARKPLUG_UNKNOWN_ALIAS);

        byte[] twice = payload(T0, 0).addMetrics(metric("A", 1, DataType.Float).setFloatValue(1))
                .addMetrics(metric("A", 2, DataType.Float).setFloatValue(2)).build().toByteArray();
        assertThat(rejected(send("spBv1.0/g/NBIRTH/n", twice), DeadLetterReason.SPARKPLUG_BAD_PAYLOAD).detail())
                .contains("names metric 'A' twice");
        byte[] noType = payload(T0, 0).addMetrics(Metric.newBuilder().setName("A").setFloatValue(1)).build().toByteArray();
        rejected(send("spBv1.0/g/NBIRTH/n", noType), DeadLetterReason.SPARKPLUG_BAD_PAYLOAD);
        byte[] propertySet = payload(T0, 0).addMetrics(Metric.newBuilder().setName("A").setDatatype(20)).build().toByteArray();
        rejected(send("spBv1.0/g/NBIRTH/n", propertySet), DeadLetterReason.SPARKPLUG_BAD_PAYLOAD);
        byte[] unknownType = payload(T0, 0).addMetrics(Metric.newBuilder().setName("A").setDatatype(99)).build().toByteArray();
        rejected(send("spBv1.0/g/NBIRTH/n", unknownType), DeadLetterReason.SPARKPLUG_BAD_PAYLOAD);
        byte[] noName = payload(T0, 0).addMetrics(Metric.newBuilder().setAlias(1).setDatatype(9)).build().toByteArray();
        rejected(send("spBv1.0/g/NBIRTH/n", noName), DeadLetterReason.SPARKPLUG_BAD_PAYLOAD);
    }

    @Test
    void nodeDeathWithTheBirthsBdSeqTakesTheDevices() {
        born();
        readings(send("spBv1.0/g/DBIRTH/n/e", Payloads.dbirth(T0, 2)));
        Offline off = (Offline) send("spBv1.0/g/NDEATH/n", Payloads.ndeath(7));
        assertThat(off.node()).isTrue();
        assertThat(off.devices()).containsExactly("d", "e");
        assertThat(session.online()).isFalse();
        assertThat(session.onlineDevices()).isEmpty();
        Rejected after = rejected(send("spBv1.0/g/DDATA/n/d", Payloads.ddata(T0, 3, 1)),
                DeadLetterReason.SPARKPLUG_UNKNOWN_ALIAS);
        assertThat(after.detail()).contains("offline since its NDEATH");
    }

    @Test
    void aDeathOfAnEarlierSessionIsIgnored() {
        born();
        Ignored stale = (Ignored) send("spBv1.0/g/NDEATH/n", Payloads.ndeath(6));
        assertThat(stale.why()).contains("bdSeq 6").contains("bdSeq 7");
        assertThat(session.online()).isTrue();
        readings(send("spBv1.0/g/NDATA/n", Payloads.ndata(T0, 2, 1f)));
        byte[] noBdSeq = Payload.newBuilder().setTimestamp(T0).build().toByteArray();
        rejected(send("spBv1.0/g/NDEATH/n", noBdSeq), DeadLetterReason.SPARKPLUG_BAD_PAYLOAD);
        assertThat(session.online()).isTrue();
    }

    @Test
    void deviceDeathAndRebirth() {
        born();
        Offline off = (Offline) send("spBv1.0/g/DDEATH/n/d", Payloads.ddeath(T0, 2));
        assertThat(off.node()).isFalse();
        assertThat(off.devices()).containsExactly("d");
        assertThat(session.deviceOnline("d")).isFalse();
        assertThat(session.online()).isTrue();
        Rejected r = rejected(send("spBv1.0/g/DDATA/n/d", Payloads.ddata(T0, 3, 1)), DeadLetterReason.SPARKPLUG_UNKNOWN_ALIAS);
        assertThat(r.detail()).contains("offline since its DDEATH");
        // the node's own data is waiting for a rebirth too now
        rejected(send("spBv1.0/g/NDATA/n", Payloads.ndata(T0, 4, 1f)), DeadLetterReason.SPARKPLUG_UNKNOWN_ALIAS);
        readings(send("spBv1.0/g/NBIRTH/n", Payloads.nbirth(T0, 8)));
        readings(send("spBv1.0/g/DBIRTH/n/d", Payloads.dbirth(T0, 1)));
        assertThat(session.deviceOnline("d")).isTrue();
        readings(send("spBv1.0/g/DDATA/n/d", Payloads.ddata(T0, 2, 1)));
    }

    @Test
    void commandsAndHostStateAreNotData() {
        born();
        for (String topic : new String[] {"spBv1.0/g/NCMD/n", "spBv1.0/g/DCMD/n/d", "spBv1.0/STATE/host"}) {
            assertThat(send(topic, "{\"online\":true}".getBytes())).isInstanceOf(Ignored.class);
        }
        // they did not count as a seq
        readings(send("spBv1.0/g/NDATA/n", Payloads.ndata(T0, 2, 1f)));
    }

    @Test
    void limits() {
        SparkplugDecoder small = new SparkplugDecoder(new SparkplugOptions(200, 4, 1, 10_000, false));
        NodeSession s = new NodeSession();
        assertThat(small.decode(topic("spBv1.0/g/NBIRTH/n"), new byte[201], T0, s))
                .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.reason()).isEqualTo(DeadLetterReason.TOO_LARGE));
        Payload.Builder many = payload(T0, 0);
        for (int i = 0; i < 5; i++) {
            many.addMetrics(metric("m" + i, i, DataType.Int32).setIntValue(i));
        }
        assertThat(small.decode(topic("spBv1.0/g/NBIRTH/n"), many.build().toByteArray(), T0, s))
                .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.reason()).isEqualTo(DeadLetterReason.TOO_LARGE));
        small.decode(topic("spBv1.0/g/NBIRTH/n"), Payloads.nbirth(T0, 1), T0, s);
        assertThat(small.decode(topic("spBv1.0/g/DBIRTH/n/d"), Payloads.dbirth(T0, 1), T0, s)).isInstanceOf(Readings.class);
        assertThat(small.decode(topic("spBv1.0/g/DBIRTH/n/e"), Payloads.dbirth(T0, 2), T0, s))
                .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.detail()).contains("at most 1"));
    }

    @Test
    void truncatedPayloadsAreBadPayloads() {
        born();
        byte[] full = Payloads.dbirth(T0, 2);
        int bad = 0;
        for (int cut = 1; cut < full.length; cut++) {
            SparkplugResult r = decoder.decode(topic("spBv1.0/g/DDATA/n/d"), Arrays.copyOf(full, cut), T0,
                    NodeSession.fromAvro(session.toAvro()));
            if (r instanceof Rejected rej && rej.reason() == DeadLetterReason.SPARKPLUG_BAD_PAYLOAD) {
                bad++;
            }
        }
        assertThat(bad).isPositive();
    }

    @Test
    void theSessionSurvivesAvroSerialization() throws Exception {
        born();
        readings(send("spBv1.0/g/DBIRTH/n/e", Payloads.dbirth(T0, 2)));
        send("spBv1.0/g/DDEATH/n/e", Payloads.ddeath(T0, 3));
        SparkplugNodeState state = session.toAvro();

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<>(SparkplugNodeState.class).write(state, enc);
        enc.flush();
        BinaryDecoder dec = DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null);
        SparkplugNodeState read = new SpecificDatumReader<>(SparkplugNodeState.class).read(null, dec);
        assertThat(read).isEqualTo(state);

        session = NodeSession.fromAvro(read);
        assertThat(session.bdSeq()).isEqualTo(7L);
        assertThat(session.lastSeq()).isEqualTo(3);
        assertThat(session.onlineDevices()).containsExactly("d");
        assertThat(session.deviceBirth("e").byAlias(11).name()).isEqualTo("Count");
        assertThat(readings(send("spBv1.0/g/DDATA/n/d", Payloads.ddata(T0, 4, 9))).readings())
                .extracting(MetricReading::value).containsExactly(9.0);
        assertThat(send("spBv1.0/g/NDEATH/n", Payloads.ndeath(7))).isInstanceOf(Offline.class);
        assertThat(NodeSession.fromAvro(null).online()).isFalse();
    }

    private static SparkplugTopic topic(String topic) {
        try {
            return SparkplugTopic.parse(topic);
        } catch (SparkplugException e) {
            throw new AssertionError(e);
        }
    }
}
