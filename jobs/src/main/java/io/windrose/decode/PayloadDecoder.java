package io.windrose.decode;

import io.windrose.schema.SensorReading;
import java.io.Serializable;

/** One payload format: bytes plus what the topic said → a reading, or a {@link DecodeException} with the reason. */
public interface PayloadDecoder extends Serializable {
    SensorReading decode(byte[] payload, TopicMatch match) throws DecodeException;
}
