package io.windrose.decode.sparkplug;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.windrose.decode.sparkplug.SparkplugResult.Rejected;
import io.windrose.decode.sparkplug.proto.SparkplugBProto.Payload;
import io.windrose.decode.sparkplug.proto.SparkplugBProto.Payload.Metric;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Hostile Sparkplug B input, generated: random bytes, valid payloads cut short or with bytes flipped, and
 * well-formed payloads whose metrics have random datatypes, values, aliases and timestamps, against sessions at
 * every stage. The decoder must answer each with a result (a rejection names a reason), never throw, and stay fast.
 */
class SparkplugHostileInputTest {
    private static final long T0 = 1_764_144_000_000L;
    private static final String[] TOPICS = {"spBv1.0/g/NBIRTH/n", "spBv1.0/g/DBIRTH/n/d", "spBv1.0/g/NDATA/n",
        "spBv1.0/g/DDATA/n/d", "spBv1.0/g/NDEATH/n", "spBv1.0/g/DDEATH/n/d"};
    private static final SparkplugDecoder DECODER =
            new SparkplugDecoder(new SparkplugOptions(64 * 1024, 1_000, 100, 10_000, false));

    /** Each of the test's stages: unknown node, born node, born device. */
    private static NodeSession session(int stage) {
        NodeSession s = new NodeSession();
        if (stage >= 1) {
            DECODER.decode(topic(TOPICS[0]), Payloads.nbirth(T0, 7), T0, s);
        }
        if (stage >= 2) {
            DECODER.decode(topic(TOPICS[1]), Payloads.dbirth(T0, 1), T0, s);
        }
        return s;
    }

    private static void decodeSafely(byte[] payload, int topic, int stage) {
        NodeSession s = session(stage);
        long start = System.nanoTime();
        SparkplugResult r = DECODER.decode(topic(TOPICS[topic]), payload, T0 + 1, s);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(r).isNotNull();
        // the report shows what the generated input came to (so a generator that only ever hits one path shows)
        Statistics.collect(r instanceof Rejected rej0 ? rej0.reason().name() : r.getClass().getSimpleName());
        if (r instanceof Rejected rej) {
            assertThat(rej.reason()).isNotNull();
            assertThat(rej.detail()).isNotBlank();
        }
        assertThat(millis).as("decoding %d bytes", payload.length).isLessThan(500);
        // whatever happened, the session still serializes and restores
        assertThat(NodeSession.fromAvro(s.toAvro()).toAvro()).isEqualTo(s.toAvro());
    }

    @Property(tries = 400)
    void randomBytes(@ForAll @Size(max = 2_000) byte[] payload, @ForAll @IntRange(max = 5) int topic,
            @ForAll @IntRange(max = 2) int stage) {
        decodeSafely(payload, topic, stage);
    }

    @Property(tries = 400)
    void validPayloadsCutShortOrFlipped(@ForAll("validPayloads") byte[] valid, @ForAll @IntRange(max = 5) int topic,
            @ForAll @IntRange(max = 2) int stage, @ForAll @IntRange(min = 0, max = 10_000) int where,
            @ForAll byte flip, @ForAll boolean cut) {
        byte[] b = valid.clone();
        if (b.length > 0) {
            int at = where % b.length;
            if (cut) {
                b = java.util.Arrays.copyOf(b, at);
            } else {
                b[at] ^= (byte) (flip == 0 ? 1 : flip);
            }
        }
        decodeSafely(b, topic, stage);
    }

    @Property(tries = 600)
    void wellFormedPayloadsOfAnyShape(@ForAll("anyPayloads") byte[] payload, @ForAll @IntRange(max = 5) int topic,
            @ForAll @IntRange(max = 2) int stage) {
        decodeSafely(payload, topic, stage);
    }

    @Property(tries = 50)
    void deepTemplatesAndLongLengths(@ForAll @IntRange(min = 1, max = 5_000) int depth) {
        // templates nested depth deep: protobuf's recursion limit (32 here) must turn it into a rejection
        Payload.Template.Builder t = Payload.Template.newBuilder();
        for (int i = 0; i < Math.min(depth, 200); i++) {
            t = Payload.Template.newBuilder().addMetrics(Metric.newBuilder().setName("x").setDatatype(19)
                    .setTemplateValue(t));
        }
        byte[] nested = Payload.newBuilder().setSeq(0).addMetrics(Metric.newBuilder().setName("t").setDatatype(19)
                .setTemplateValue(t)).build().toByteArray();
        decodeSafely(nested, 0, 0);
        // a length prefix claiming far more than the payload holds
        byte[] claim = {0x12, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 0x0a};
        decodeSafely(claim, depth % 6, depth % 3);
    }

    @Provide
    Arbitrary<byte[]> validPayloads() {
        return Arbitraries.of(Payloads.nbirth(T0, 3), Payloads.dbirth(T0, 1), Payloads.ndata(T0, 1, 2f),
                Payloads.ddata(T0, 2, 1.0), Payloads.ndeath(7));
    }

    @Provide
    Arbitrary<byte[]> anyPayloads() {
        Arbitrary<Metric> metric = Combinators.combine(
                Arbitraries.strings().ofMaxLength(12).injectNull(0.2),
                Arbitraries.longs().between(-2, 20).injectNull(0.3),
                Arbitraries.integers().between(-1, 40).injectNull(0.2),
                Arbitraries.integers().between(0, 9),
                Arbitraries.longs(),
                Arbitraries.longs().injectNull(0.5),
                Arbitraries.of(true, false))
                .as((name, alias, type, kind, raw, ts, isNull) -> {
                    Metric.Builder m = Metric.newBuilder();
                    if (name != null) {
                        m.setName(name);
                    }
                    if (alias != null) {
                        m.setAlias(alias);
                    }
                    if (type != null) {
                        m.setDatatype(type);
                    }
                    if (ts != null) {
                        m.setTimestamp(ts);
                    }
                    m.setIsNull(isNull && raw % 5 == 0);
                    switch (kind) {
                        case 0 -> m.setIntValue(raw.intValue());
                        case 1 -> m.setLongValue(raw);
                        case 2 -> m.setFloatValue(Float.intBitsToFloat(raw.intValue()));
                        case 3 -> m.setDoubleValue(Double.longBitsToDouble(raw));
                        case 4 -> m.setBooleanValue(raw % 2 == 0);
                        case 5 -> m.setStringValue(Long.toString(raw));
                        case 6 -> m.setBytesValue(ByteString.copyFromUtf8(Long.toString(raw)));
                        case 7 -> m.setDatasetValue(Payload.DataSet.newBuilder().setNumOfColumns(raw));
                        case 8 -> m.setTemplateValue(Payload.Template.newBuilder().setVersion("v"));
                        default -> { }
                    }
                    return m.build();
                });
        return Combinators.combine(metric.list().ofMaxSize(30), Arbitraries.longs().between(-3, 300).injectNull(0.2),
                        Arbitraries.longs().injectNull(0.3))
                .as((List<Metric> metrics, Long seq, Long ts) -> {
                    Payload.Builder p = Payload.newBuilder().addAllMetrics(metrics);
                    if (seq != null) {
                        p.setSeq(seq);
                    }
                    if (ts != null) {
                        p.setTimestamp(ts);
                    }
                    return p.build().toByteArray();
                });
    }

    private static SparkplugTopic topic(String t) {
        try {
            return SparkplugTopic.parse(t);
        } catch (SparkplugException e) {
            throw new AssertionError(e);
        }
    }
}
