package io.windrose.decode.sparkplug;

import io.windrose.decode.sparkplug.proto.SparkplugBProto.DataType;

/**
 * One metric as a birth certificate defines it.
 *
 * @param alias the alias, or null when the birth gave none (then data names the metric)
 */
public record MetricDef(String name, Long alias, DataType datatype) {}
