package io.windrose.decode.sparkplug;

import io.windrose.decode.sparkplug.proto.SparkplugBProto.DataType;
import io.windrose.decode.sparkplug.proto.SparkplugBProto.Payload;
import io.windrose.decode.sparkplug.proto.SparkplugBProto.Payload.Metric;

/** Sparkplug B payloads for tests, built from the specification's message (as an edge node writes them). */
final class Payloads {
    private Payloads() {}

    static Payload.Builder payload(long timestamp, int seq) {
        return Payload.newBuilder().setTimestamp(timestamp).setSeq(seq);
    }

    static Metric.Builder metric(String name, long alias, DataType type) {
        return Metric.newBuilder().setName(name).setAlias(alias).setDatatype(type.getNumber());
    }

    static Metric.Builder byAlias(long alias) {
        return Metric.newBuilder().setAlias(alias);
    }

    static Metric bdSeq(long value) {
        return Metric.newBuilder().setName("bdSeq").setDatatype(DataType.Int64_VALUE).setLongValue(value).build();
    }

    /** An NBIRTH: bdSeq, Node Control/Rebirth, Temperature (alias 1, Float), Running (alias 2, Boolean). */
    static byte[] nbirth(long timestamp, long bdSeq) {
        return payload(timestamp, 0)
                .addMetrics(bdSeq(bdSeq))
                .addMetrics(Metric.newBuilder().setName("Node Control/Rebirth").setDatatype(DataType.Boolean_VALUE)
                        .setBooleanValue(false))
                .addMetrics(metric("Temperature", 1, DataType.Float).setFloatValue(20.5f))
                .addMetrics(metric("Running", 2, DataType.Boolean).setBooleanValue(true))
                .build().toByteArray();
    }

    /** A DBIRTH: Pressure (alias 10, Double), Count (alias 11, UInt32), Label (alias 12, String). */
    static byte[] dbirth(long timestamp, int seq) {
        return payload(timestamp, seq)
                .addMetrics(metric("Pressure", 10, DataType.Double).setDoubleValue(1.5))
                .addMetrics(metric("Count", 11, DataType.UInt32).setIntValue(7))
                .addMetrics(metric("Label", 12, DataType.String).setStringValue("pump"))
                .build().toByteArray();
    }

    static byte[] ndeath(long bdSeq) {
        return Payload.newBuilder().setTimestamp(1).addMetrics(bdSeq(bdSeq)).build().toByteArray();
    }

    static byte[] ddeath(long timestamp, int seq) {
        return payload(timestamp, seq).build().toByteArray();
    }

    static byte[] ndata(long timestamp, int seq, float temperature) {
        return payload(timestamp, seq).addMetrics(byAlias(1).setFloatValue(temperature)).build().toByteArray();
    }

    static byte[] ddata(long timestamp, int seq, double pressure) {
        return payload(timestamp, seq).addMetrics(byAlias(10).setDoubleValue(pressure)).build().toByteArray();
    }
}
