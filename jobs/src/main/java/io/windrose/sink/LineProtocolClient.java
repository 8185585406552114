package io.windrose.sink;

import java.util.List;

/** Writes lines of InfluxDB line protocol (millisecond precision) in one request. */
interface LineProtocolClient extends AutoCloseable {
    void write(List<String> lines) throws InfluxWriteException;

    @Override
    void close();
}
