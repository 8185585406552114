package io.windrose.sink;

import java.io.Serializable;

/** Turns a stream element into an InfluxDB point (or the deletion of one). */
@FunctionalInterface
public interface PointMapper<T> extends Serializable {
    LinePoint toPoint(T element);

    /** For an element that removes a point it had written (a retracted window), that point; null for a write. */
    default PointDeletion deletion(T element) {
        return null;
    }
}
