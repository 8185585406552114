package io.windrose.sink;

import com.influxdb.client.write.Point;
import java.io.Serializable;

/** Turns a stream element into an InfluxDB point. */
@FunctionalInterface
public interface PointMapper<T> extends Serializable {
    Point toPoint(T element);
}
