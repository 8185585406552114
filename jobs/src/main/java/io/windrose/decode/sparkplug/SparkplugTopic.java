package io.windrose.decode.sparkplug;

import io.windrose.deadletter.DeadLetterReason;

/**
 * A parsed Sparkplug B topic: {@code spBv1.0/<group>/<type>/<edge node>} for node messages,
 * {@code spBv1.0/<group>/<type>/<edge node>/<device>} for device messages, {@code spBv1.0/STATE/<host id>}.
 *
 * @param group the group id; null for STATE
 * @param edgeNode the edge node id; null for STATE
 * @param device the device id for D-types, else null
 * @param hostId the host application id for STATE, else null
 */
public record SparkplugTopic(SparkplugMessageType type, String group, String edgeNode, String device, String hostId) {
    /** The first level of every Sparkplug B topic. */
    public static final String NAMESPACE = "spBv1.0";
    private static final int MAX_LEVELS = 5;

    /** Parses a topic; anything that is not in the Sparkplug B namespace is an {@code UNROUTED} error. */
    public static SparkplugTopic parse(String topic) throws SparkplugException {
        if (topic == null) {
            throw bad("null", "no topic");
        }
        String[] levels = new String[MAX_LEVELS + 1];
        int count = 0;
        int start = 0;
        // split by hand with a bound: a topic of thousands of levels must not allocate an array for each
        while (true) {
            int slash = topic.indexOf('/', start);
            String level = slash < 0 ? topic.substring(start) : topic.substring(start, slash);
            if (count == levels.length) {
                throw bad(topic, "more than " + MAX_LEVELS + " levels");
            }
            levels[count++] = level;
            if (slash < 0) {
                break;
            }
            start = slash + 1;
        }
        if (!NAMESPACE.equals(levels[0])) {
            throw bad(topic, "it does not start with " + NAMESPACE + "/");
        }
        for (int i = 1; i < count; i++) {
            if (levels[i].isEmpty() || levels[i].indexOf('+') >= 0 || levels[i].indexOf('#') >= 0) {
                throw bad(topic, "level " + (i + 1) + " is empty or holds a wildcard");
            }
        }
        if (count == 3 && "STATE".equals(levels[1])) {
            return new SparkplugTopic(SparkplugMessageType.STATE, null, null, null, levels[2]);
        }
        if (count < 4) {
            throw bad(topic, "expected " + NAMESPACE + "/<group>/<message type>/<edge node>[/<device>]");
        }
        SparkplugMessageType type;
        try {
            type = SparkplugMessageType.valueOf(levels[2]);
        } catch (IllegalArgumentException e) {
            type = null;
        }
        if (type == null || type == SparkplugMessageType.STATE) {
            throw bad(topic, "unknown message type '" + levels[2] + "'");
        }
        if (type.isDeviceLevel() && count != 5) {
            throw bad(topic, type + " needs a device: " + NAMESPACE + "/<group>/" + type + "/<edge node>/<device>");
        }
        if (!type.isDeviceLevel() && count != 4) {
            throw bad(topic, type + " has no device level: " + NAMESPACE + "/<group>/" + type + "/<edge node>");
        }
        return new SparkplugTopic(type, levels[1], levels[3], count == 5 ? levels[4] : null, null);
    }

    /** The key of the edge node's state: {@code <group>/<edge node>} (for STATE: {@code STATE/<host id>}). */
    public String nodeKey() {
        return type == SparkplugMessageType.STATE ? "STATE/" + hostId : group + "/" + edgeNode;
    }

    /** The topic a command to this node (device null) or one of its devices goes to. */
    public static String commandTopic(String group, String edgeNode, String device) {
        return device == null
                ? NAMESPACE + "/" + group + "/NCMD/" + edgeNode
                : NAMESPACE + "/" + group + "/DCMD/" + edgeNode + "/" + device;
    }

    private static SparkplugException bad(String topic, String why) {
        String shown = topic.length() > 200 ? topic.substring(0, 200) + "…" : topic;
        return new SparkplugException(DeadLetterReason.UNROUTED, "not a Sparkplug B topic (" + why + "): " + shown);
    }
}
