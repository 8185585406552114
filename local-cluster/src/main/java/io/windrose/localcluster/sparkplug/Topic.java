package io.windrose.localcluster.sparkplug;

import java.util.List;
import java.util.Objects;

/**
 * A Sparkplug B topic, {@code spBv1.0/<group id>/<message type>/<edge node id>[/<device id>]} (Eclipse Sparkplug 3.0,
 * section 4.1; host STATE topics are not modelled).
 *
 * @param device null for the edge node's own messages (N…), set for a device's (D…)
 */
public record Topic(String group, String type, String edgeNode, String device) {
    public static final String NAMESPACE = "spBv1.0";
    public static final List<String> NODE_TYPES = List.of("NBIRTH", "NDEATH", "NDATA", "NCMD");
    public static final List<String> DEVICE_TYPES = List.of("DBIRTH", "DDEATH", "DDATA", "DCMD");

    public Topic {
        for (String id : new String[] {group, edgeNode}) {
            checkId(Objects.requireNonNull(id));
        }
        if (device != null) {
            checkId(device);
        }
        if (!(device == null ? NODE_TYPES : DEVICE_TYPES).contains(type)) {
            throw new IllegalArgumentException(type + " is not a Sparkplug message type for "
                    + (device == null ? "an edge node" : "a device"));
        }
    }

    /** IDs are single levels of a topic: no '/', '+' or '#' (section 4.1.1). */
    private static void checkId(String id) {
        if (id.isEmpty() || id.contains("/") || id.contains("+") || id.contains("#")) {
            throw new IllegalArgumentException("'" + id + "' cannot be a Sparkplug ID (empty, or with / + #)");
        }
    }

    /** That topic string's parts, or null if it is not a Sparkplug B edge node or device topic. */
    public static Topic parse(String topic) {
        String[] levels = topic.split("/", -1);
        if ((levels.length != 4 && levels.length != 5) || !levels[0].equals(NAMESPACE)) {
            return null;
        }
        try {
            return new Topic(levels[1], levels[2], levels[3], levels.length == 5 ? levels[4] : null);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return NAMESPACE + "/" + group + "/" + type + "/" + edgeNode + (device == null ? "" : "/" + device);
    }
}
