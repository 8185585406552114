package io.windrose.sink;

import java.util.List;

/** Writes lines of InfluxDB line protocol (millisecond precision) in one request, and deletes points. */
interface LineProtocolClient extends AutoCloseable {
    void write(List<String> lines) throws InfluxWriteException;

    /** Deletes the point of this series at this time (if there is one). */
    void delete(PointDeletion point) throws InfluxWriteException;

    @Override
    void close();
}
