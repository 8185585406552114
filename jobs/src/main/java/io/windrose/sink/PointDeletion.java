package io.windrose.sink;

import java.io.Serializable;
import java.util.Map;

/** A point to delete from InfluxDB: its series (measurement and every tag) and its time. */
public record PointDeletion(String measurement, Map<String, String> tags, long timeMs) implements Serializable {}
