package io.windrose.decode.sparkplug;

import io.windrose.deadletter.DeadLetterReason;
import io.windrose.decode.sparkplug.proto.SparkplugBProto.DataType;
import java.util.List;

/** What one Sparkplug B message amounts to. */
public sealed interface SparkplugResult {

    /** Whether a rebirth request (NCMD {@code Node Control/Rebirth}) should be sent to the node now. */
    boolean requestRebirth();

    /** One numeric metric value. */
    record MetricReading(String name, double value, long timestamp, DataType datatype) {}

    /** A metric that is not a number (or has no value), named with why it was left out. */
    record SkippedMetric(String name, DataType datatype, String why) {}

    /**
     * The values of an NBIRTH, DBIRTH, NDATA or DDATA.
     *
     * @param device the device for DBIRTH and DDATA, null for the node
     * @param birth whether this was a birth (the node or device is online from now on)
     * @param requestRebirth this message showed a sequence gap, and was used all the same: a DBIRTH (self-contained),
     *     or data with {@link SparkplugOptions#decodeAfterGap()}
     */
    record Readings(SparkplugTopic topic, String device, boolean birth, List<MetricReading> readings,
            List<SkippedMetric> skipped, boolean requestRebirth) implements SparkplugResult {}

    /**
     * An NDEATH or DDEATH: who went offline now.
     *
     * @param node whether the node itself died (then {@code devices} are those it took with it)
     */
    record Offline(SparkplugTopic topic, boolean node, List<String> devices) implements SparkplugResult {
        @Override
        public boolean requestRebirth() {
            return false;
        }
    }

    /** Not data, and nothing wrong: a command, a host's STATE, a will of an earlier session, a repeated seq. */
    record Ignored(SparkplugTopic topic, String why) implements SparkplugResult {
        @Override
        public boolean requestRebirth() {
            return false;
        }
    }

    /** A message that cannot be used: a dead letter with this reason and detail. */
    record Rejected(DeadLetterReason reason, String detail, boolean requestRebirth) implements SparkplugResult {}
}
