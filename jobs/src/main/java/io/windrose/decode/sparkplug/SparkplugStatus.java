package io.windrose.decode.sparkplug;

/**
 * A Sparkplug B node or device going online (its BIRTH) or offline (its DEATH, or its node's): what a future
 * {@code kind: offline} rule raises and clears on. A Flink POJO.
 */
public class SparkplugStatus {
    public String group;
    public String edgeNode;
    /** Null for the node itself. */
    public String device;
    /** The sensor id its readings carry ({@code <edge node>} or {@code <edge node>/<device>}). */
    public String sensorId;
    public boolean online;
    /** Arrival time of the message that said so (epoch ms). */
    public long time;

    public SparkplugStatus() {}

    public SparkplugStatus(String group, String edgeNode, String device, boolean online, long time) {
        this.group = group;
        this.edgeNode = edgeNode;
        this.device = device;
        this.sensorId = SparkplugFunction.sensorId(edgeNode, device);
        this.online = online;
        this.time = time;
    }

    @Override
    public String toString() {
        return sensorId + (online ? " online" : " offline");
    }
}
