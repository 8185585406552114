package io.windrose.reading;

import io.windrose.schema.SensorReading;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** The type of readings in flight between the stages, serialized by {@link SensorReadingSerializer}. */
public final class SensorReadingTypeInfo extends TypeInformation<SensorReading> {
    private static final long serialVersionUID = 1L;
    /** The one instance the stages' streams and side outputs use (streams are united only with equal types). */
    public static final SensorReadingTypeInfo READINGS = new SensorReadingTypeInfo();

    private SensorReadingTypeInfo() {}

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<SensorReading> getTypeClass() {
        return SensorReading.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<SensorReading> createSerializer(SerializerConfig config) {
        return new SensorReadingSerializer();
    }

    @Override
    public String toString() {
        return "SensorReading (Windrose serializer)";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SensorReadingTypeInfo;
    }

    @Override
    public int hashCode() {
        return SensorReadingTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object other) {
        return other instanceof SensorReadingTypeInfo;
    }
}
