package io.windrose.decode.sparkplug;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.windrose.deadletter.DeadLetterReason;
import io.windrose.decode.sparkplug.SparkplugResult.Ignored;
import io.windrose.decode.sparkplug.SparkplugResult.MetricReading;
import io.windrose.decode.sparkplug.SparkplugResult.Offline;
import io.windrose.decode.sparkplug.SparkplugResult.Readings;
import io.windrose.decode.sparkplug.SparkplugResult.Rejected;
import io.windrose.decode.sparkplug.SparkplugResult.SkippedMetric;
import io.windrose.decode.sparkplug.proto.SparkplugBProto.DataType;
import io.windrose.decode.sparkplug.proto.SparkplugBProto.Payload;
import io.windrose.decode.sparkplug.proto.SparkplugBProto.Payload.Metric;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A Sparkplug B host application's view of one edge node's messages: each message, with the node's
 * {@link NodeSession}, becomes {@link SparkplugResult} and updates the session. Never throws: every problem is a
 * {@link SparkplugResult.Rejected} with a dead-letter reason.
 *
 * <ul>
 *   <li>NBIRTH defines the node's metrics (and bdSeq), DBIRTH a device's; their values are readings too. A new NBIRTH
 *       forgets the devices (their DBIRTHs follow it).
 *   <li>NDATA and DDATA metrics are found by alias (else by name) in the birth; kept as numbers: Int8..UInt64,
 *       Float, Double, Boolean (1/0). String, Text, UUID, DateTime, Bytes, File, DataSet, Template and arrays are
 *       skipped and named in {@link Readings#skipped()}, as are {@code is_null} metrics and the control metrics
 *       ({@code bdSeq}, {@code Node Control/*}, {@code Device Control/*}). Event time: the metric's timestamp, else
 *       the payload's, else the arrival time.
 *   <li>seq (0..255, wrapping) is checked on every message of the node but NBIRTH (which sets it) and NDEATH (which
 *       has none). A gap makes the node stale: messages were lost, maybe a birth that changed the aliases, so data
 *       is SPARKPLUG_SEQUENCE_GAP dead letters until the next NBIRTH (unless {@link SparkplugOptions#decodeAfterGap()}),
 *       and a rebirth is asked for. A repeated seq, or one a little behind the last ({@link #REDELIVERY_WINDOW}), is a
 *       redelivery and ignored.
 *   <li>Data that no current birth defines (unknown alias, no NBIRTH, no DBIRTH) makes the node stale too:
 *       SPARKPLUG_UNKNOWN_ALIAS. Such data is not kept for later, because the rebirth may define other aliases.
 *   <li>NDEATH ends the session only if its bdSeq is the NBIRTH's (else it is the will of an earlier session), and
 *       takes the node's devices with it; DDEATH takes one device.
 *   <li>NCMD, DCMD and STATE are ignored: never data, dead letters or gaps.
 * </ul>
 *
 * Rebirth requests are limited to one per node per {@link SparkplugOptions#rebirthIntervalMillis()} of arrival time.
 */
public final class SparkplugDecoder implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Event times beyond 9999-12-31 are not believable. */
    private static final long MAX_TIMESTAMP = 253_402_300_799_999L;
    /** Templates nest metrics in templates; deeper than this is hostile, not a plant model. */
    private static final int MAX_NESTING = 32;
    static final String BD_SEQ = "bdSeq";
    /**
     * A seq at most this far behind the last one is a redelivery, not a gap (a gap this large the other way round,
     * 193 and more messages lost, is taken for one).
     */
    static final int REDELIVERY_WINDOW = 64;
    /** The metric a rebirth request sets to true. */
    public static final String REBIRTH_METRIC = "Node Control/Rebirth";

    private final SparkplugOptions options;

    public SparkplugDecoder(SparkplugOptions options) {
        this.options = options;
    }

    public SparkplugOptions options() {
        return options;
    }

    /**
     * One message of the session's edge node (the caller keys sessions by {@link SparkplugTopic#nodeKey()}).
     *
     * @param receivedAt arrival time (epoch ms): event time of metrics without a timestamp, and the clock of the
     *     rebirth rate limit
     */
    public SparkplugResult decode(SparkplugTopic topic, byte[] payload, long receivedAt, NodeSession session) {
        if (topic.type().isControl()) {
            return new Ignored(topic, topic.type() + " is not data");
        }
        try {
            Payload p = parse(payload);
            switch (topic.type()) {
                case NBIRTH:
                    return nodeBirth(topic, p, receivedAt, session);
                case NDEATH:
                    return nodeDeath(topic, p, session);
                case DBIRTH:
                    return deviceBirth(topic, p, receivedAt, session);
                case DDEATH:
                    return deviceDeath(topic, p, receivedAt, session);
                default:
                    return data(topic, p, receivedAt, session);
            }
        } catch (SparkplugException e) {
            return new Rejected(e.reason(), e.getMessage(), false);
        }
    }

    /** The payload, parsed within the limits. */
    Payload parse(byte[] bytes) throws SparkplugException {
        byte[] b = bytes == null ? new byte[0] : bytes;
        if (b.length > options.maxPayloadBytes()) {
            throw new SparkplugException(DeadLetterReason.TOO_LARGE,
                    "a payload of " + b.length + " bytes (at most " + options.maxPayloadBytes() + ")");
        }
        Payload p;
        try {
            CodedInputStream in = CodedInputStream.newInstance(b);
            in.setRecursionLimit(MAX_NESTING);
            p = Payload.parser().parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw new SparkplugException(DeadLetterReason.SPARKPLUG_BAD_PAYLOAD,
                    "not a Sparkplug B payload: " + e.getMessage());
        }
        if (p.getMetricsCount() > options.maxMetrics()) {
            throw new SparkplugException(DeadLetterReason.TOO_LARGE,
                    "a payload of " + p.getMetricsCount() + " metrics (at most " + options.maxMetrics() + ")");
        }
        if (p.hasSeq() && (p.getSeq() < 0 || p.getSeq() > 255)) {
            throw new SparkplugException(DeadLetterReason.SPARKPLUG_BAD_PAYLOAD,
                    "seq " + Long.toUnsignedString(p.getSeq()) + " is outside 0..255");
        }
        return p;
    }

    private SparkplugResult nodeBirth(SparkplugTopic topic, Payload p, long receivedAt, NodeSession s)
            throws SparkplugException {
        BirthCertificate birth;
        Values values;
        Long bdSeq;
        try {
            birth = BirthCertificate.of(p.getMetricsList(), options.maxMetrics());
            values = birthValues(birth, p, receivedAt);
            bdSeq = bdSeq(p);
        } catch (SparkplugException e) {
            // an NBIRTH starts a new session, and this one cannot be read: nothing of the old session holds
            // either, so the node's data waits (SPARKPLUG_UNKNOWN_ALIAS) for a birth that can
            reset(s);
            throw e;
        }
        reset(s);
        s.online = true;
        s.bdSeq = bdSeq;
        s.lastSeq = p.hasSeq() ? (int) p.getSeq() : -1;
        s.birth = birth;
        return new Readings(topic, null, true, values.readings, values.skipped, false);
    }

    private SparkplugResult deviceBirth(SparkplugTopic topic, Payload p, long receivedAt, NodeSession s)
            throws SparkplugException {
        if (!s.online) {
            return unknown(s, receivedAt, "DBIRTH of device '" + topic.device() + "' " + noNodeBirth(s));
        }
        SeqCheck seq = checkSeq(topic, p, receivedAt, s);
        if (seq.repeated != null) {
            return seq.repeated;
        }
        NodeSession.Device d = s.devices.get(topic.device());
        if (d == null && s.devices.size() >= options.maxDevices()) {
            throw new SparkplugException(DeadLetterReason.TOO_LARGE, "DBIRTH of device '" + topic.device()
                    + "': the node has " + s.devices.size() + " devices (at most " + options.maxDevices() + ")");
        }
        BirthCertificate birth = BirthCertificate.of(p.getMetricsList(), options.maxMetrics());
        Values values = birthValues(birth, p, receivedAt);
        if (d == null) {
            d = new NodeSession.Device();
            s.devices.put(topic.device(), d);
        }
        d.online = true;
        d.birth = birth;
        return new Readings(topic, topic.device(), true, values.readings, values.skipped, seq.rebirth);
    }

    private SparkplugResult nodeDeath(SparkplugTopic topic, Payload p, NodeSession s) throws SparkplugException {
        Long bdSeq = bdSeq(p);
        if (s.bdSeq != null) {
            if (bdSeq == null) {
                throw new SparkplugException(DeadLetterReason.SPARKPLUG_BAD_PAYLOAD,
                        "NDEATH without bdSeq: cannot tell whether it ends the session of NBIRTH bdSeq " + s.bdSeq);
            }
            if (!bdSeq.equals(s.bdSeq)) {
                return new Ignored(topic, "NDEATH of bdSeq " + bdSeq + ", but the current NBIRTH has bdSeq "
                        + s.bdSeq + ": the will of an earlier session");
            }
        }
        List<String> devices = s.onlineDevices();
        s.online = false;
        s.lastSeq = -1;
        s.staleReason = null;
        s.staleDetail = null;
        s.devices.values().forEach(d -> d.online = false);
        return new Offline(topic, true, devices);
    }

    private SparkplugResult deviceDeath(SparkplugTopic topic, Payload p, long receivedAt, NodeSession s)
            throws SparkplugException {
        if (s.online) {
            SeqCheck seq = checkSeq(topic, p, receivedAt, s);
            if (seq.repeated != null) {
                return seq.repeated;
            }
        }
        // a device's death is news even from a node we know nothing of: it is offline either way
        NodeSession.Device d = s.devices.get(topic.device());
        if (d != null) {
            d.online = false;
        }
        return new Offline(topic, false, List.of(topic.device()));
    }

    private SparkplugResult data(SparkplugTopic topic, Payload p, long receivedAt, NodeSession s)
            throws SparkplugException {
        String what = topic.type() + (topic.device() == null ? "" : " of device '" + topic.device() + "'");
        if (!s.online) {
            return unknown(s, receivedAt, what + " " + noNodeBirth(s));
        }
        SeqCheck seq = checkSeq(topic, p, receivedAt, s);
        if (seq.repeated != null) {
            return seq.repeated;
        }
        if (s.staleReason != null && !(options.decodeAfterGap()
                && s.staleReason == DeadLetterReason.SPARKPLUG_SEQUENCE_GAP)) {
            return new Rejected(s.staleReason, what + ": the node's data waits for a rebirth (" + s.staleDetail + ")",
                    seq.rebirth || mayRequestRebirth(s, receivedAt));
        }
        BirthCertificate birth = s.birth;
        if (topic.device() != null) {
            NodeSession.Device d = s.devices.get(topic.device());
            if (d == null || !d.online) {
                return unknown(s, receivedAt, what + ": " + (d == null ? "no DBIRTH of the device"
                        : "the device is offline since its DDEATH, no DBIRTH since"));
            }
            birth = d.birth;
        }
        List<MetricReading> readings = new ArrayList<>(p.getMetricsCount());
        List<SkippedMetric> skipped = new ArrayList<>(0);
        for (int i = 0; i < p.getMetricsCount(); i++) {
            Metric m = p.getMetrics(i);
            MetricDef def;
            if (m.hasAlias()) {
                def = birth.byAlias(m.getAlias());
                if (def == null) {
                    return unknown(s, receivedAt, what + ": alias " + Long.toUnsignedString(m.getAlias())
                            + " is not in the birth");
                }
            } else if (m.hasName()) {
                def = birth.byName(m.getName());
                if (def == null) {
                    return unknown(s, receivedAt, what + ": metric '" + shorten(m.getName()) + "' is not in the birth");
                }
            } else {
                throw new SparkplugException(DeadLetterReason.SPARKPLUG_BAD_PAYLOAD,
                        what + ": metric #" + (i + 1) + " has neither alias nor name");
            }
            if (m.hasDatatype() && m.getDatatype() != def.datatype().getNumber()) {
                throw new SparkplugException(DeadLetterReason.SPARKPLUG_BAD_PAYLOAD, what + ": metric '" + def.name()
                        + "' is " + def.datatype() + " in the birth but datatype " + m.getDatatype() + " here");
            }
            value(def, m, p, receivedAt, readings, skipped);
        }
        return new Readings(topic, topic.device(), false, readings, skipped, seq.rebirth);
    }

    private static final class Values {
        final List<MetricReading> readings = new ArrayList<>();
        final List<SkippedMetric> skipped = new ArrayList<>(0);
    }

    private Values birthValues(BirthCertificate birth, Payload p, long receivedAt) throws SparkplugException {
        Values v = new Values();
        for (int i = 0; i < p.getMetricsCount(); i++) {
            value(birth.metrics().get(i), p.getMetrics(i), p, receivedAt, v.readings, v.skipped);
        }
        return v;
    }

    private static void value(MetricDef def, Metric m, Payload p, long receivedAt, List<MetricReading> readings,
            List<SkippedMetric> skipped) throws SparkplugException {
        String name = def.name();
        String why = control(name) ? "a control metric" : MetricValues.skipped(def.datatype());
        if (why == null && m.getIsNull()) {
            why = "null";
        }
        if (why == null && m.getValueCase() == Metric.ValueCase.VALUE_NOT_SET) {
            why = "no value";
        }
        if (why != null) {
            skipped.add(new SkippedMetric(name, def.datatype(), why));
            return;
        }
        double value = MetricValues.number(m, def.datatype(), name);
        readings.add(new MetricReading(name, value, timestamp(m, p, receivedAt, name), def.datatype()));
    }

    private static boolean control(String name) {
        return BD_SEQ.equals(name) || name.startsWith("Node Control/") || name.startsWith("Device Control/");
    }

    private static long timestamp(Metric m, Payload p, long receivedAt, String name) throws SparkplugException {
        long t;
        if (m.hasTimestamp()) {
            t = m.getTimestamp();
        } else if (p.hasTimestamp()) {
            t = p.getTimestamp();
        } else {
            return receivedAt;
        }
        if (t < 0 || t > MAX_TIMESTAMP) {
            throw new SparkplugException(DeadLetterReason.BAD_TIMESTAMP,
                    "metric '" + name + "': timestamp " + Long.toUnsignedString(t) + " is not an epoch-ms time before 10000");
        }
        return t;
    }

    /** The bdSeq metric of an NBIRTH or NDEATH, or null without one. */
    private static Long bdSeq(Payload p) throws SparkplugException {
        for (Metric m : p.getMetricsList()) {
            if (BD_SEQ.equals(m.getName())) {
                switch (m.getValueCase()) {
                    case LONG_VALUE: return m.getLongValue();
                    case INT_VALUE: return Integer.toUnsignedLong(m.getIntValue());
                    default:
                        throw new SparkplugException(DeadLetterReason.SPARKPLUG_BAD_PAYLOAD,
                                "bdSeq is not an integer (" + m.getValueCase() + ")");
                }
            }
        }
        return null;
    }

    private static final class SeqCheck {
        /** Set when the message repeats the last seq: the result to return. */
        Ignored repeated;
        /** A gap was found now and a rebirth may be requested. */
        boolean rebirth;
    }

    private SeqCheck checkSeq(SparkplugTopic topic, Payload p, long receivedAt, NodeSession s) {
        SeqCheck c = new SeqCheck();
        if (!p.hasSeq()) {
            // a node that sends no seq cannot be checked; from here on the next seq is taken as it comes
            s.lastSeq = -1;
            return c;
        }
        int seq = (int) p.getSeq();
        if (s.lastSeq >= 0) {
            if (seq == s.lastSeq) {
                c.repeated = new Ignored(topic, "seq " + seq + " again: a repeated message");
                return c;
            }
            int behind = (s.lastSeq - seq) & 0xFF;
            if (behind < REDELIVERY_WINDOW) {
                // a message taken already, delivered again: after a restore, the broker sends again what the job took
                // before its checkpoint but had not yet acknowledged (acks go out when the checkpoint completes)
                c.repeated = new Ignored(topic, "seq " + seq + " is " + behind + " behind the last, " + s.lastSeq
                        + ": a message delivered again");
                return c;
            }
            int expected = (s.lastSeq + 1) & 0xFF;
            if (seq != expected) {
                String detail = "seq " + seq + " after " + s.lastSeq + " (expected " + expected + ")";
                if (s.staleReason == null) {
                    s.staleReason = DeadLetterReason.SPARKPLUG_SEQUENCE_GAP;
                    s.staleDetail = detail;
                }
                c.rebirth = mayRequestRebirth(s, receivedAt);
            }
        }
        s.lastSeq = seq;
        return c;
    }

    private Rejected unknown(NodeSession s, long receivedAt, String detail) {
        if (s.staleReason == null) {
            s.staleReason = DeadLetterReason.SPARKPLUG_UNKNOWN_ALIAS;
            s.staleDetail = detail;
        }
        return new Rejected(DeadLetterReason.SPARKPLUG_UNKNOWN_ALIAS, detail, mayRequestRebirth(s, receivedAt));
    }

    private boolean mayRequestRebirth(NodeSession s, long receivedAt) {
        if (s.lastRebirthRequest != Long.MIN_VALUE && receivedAt - s.lastRebirthRequest < options.rebirthIntervalMillis()
                && receivedAt >= s.lastRebirthRequest) {
            return false;
        }
        s.lastRebirthRequest = receivedAt;
        return true;
    }

    private static String noNodeBirth(NodeSession s) {
        return s.bdSeq == null && s.birth.isEmpty() ? "but no NBIRTH of the node is known"
                : "but the node is offline since its NDEATH, no NBIRTH since";
    }

    private static void reset(NodeSession s) {
        s.online = false;
        s.bdSeq = null;
        s.lastSeq = -1;
        s.staleReason = null;
        s.staleDetail = null;
        s.birth = BirthCertificate.EMPTY;
        s.devices.clear();
    }

    private static String shorten(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
