package io.windrose.localcluster.sparkplug;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;

/**
 * Payload and Payload.Metric of eclipse/tahu's {@code sparkplug_b.proto} (proto2) assembled by hand as a
 * FileDescriptorProto, for protobuf-java's generic {@link com.google.protobuf.DynamicMessage}: an independent reader
 * and writer of the wire format to check the hand-written codec against. MetaData, PropertySet, DataSet and Template
 * are reduced to empty messages (enough to write and skip them).
 */
final class SparkplugSchema {
    static final Descriptor PAYLOAD;
    static final Descriptor METRIC;

    static {
        DescriptorProto empty = DescriptorProto.newBuilder().setName("Opaque").build();
        DescriptorProto metric = DescriptorProto.newBuilder().setName("Metric")
                .addField(field("name", 1, Type.TYPE_STRING))
                .addField(field("alias", 2, Type.TYPE_UINT64))
                .addField(field("timestamp", 3, Type.TYPE_UINT64))
                .addField(field("datatype", 4, Type.TYPE_UINT32))
                .addField(field("is_historical", 5, Type.TYPE_BOOL))
                .addField(field("is_transient", 6, Type.TYPE_BOOL))
                .addField(field("is_null", 7, Type.TYPE_BOOL))
                .addField(message("metadata", 8, ".sp.Opaque"))
                .addField(message("properties", 9, ".sp.Opaque"))
                .addOneofDecl(OneofDescriptorProto.newBuilder().setName("value"))
                .addField(oneof("int_value", 10, Type.TYPE_UINT32))
                .addField(oneof("long_value", 11, Type.TYPE_UINT64))
                .addField(oneof("float_value", 12, Type.TYPE_FLOAT))
                .addField(oneof("double_value", 13, Type.TYPE_DOUBLE))
                .addField(oneof("boolean_value", 14, Type.TYPE_BOOL))
                .addField(oneof("string_value", 15, Type.TYPE_STRING))
                .addField(oneof("bytes_value", 16, Type.TYPE_BYTES))
                .addField(message("dataset_value", 17, ".sp.Opaque").toBuilder().setOneofIndex(0))
                .addField(message("template_value", 18, ".sp.Opaque").toBuilder().setOneofIndex(0))
                .build();
        DescriptorProto payload = DescriptorProto.newBuilder().setName("Payload")
                .addField(field("timestamp", 1, Type.TYPE_UINT64))
                .addField(FieldDescriptorProto.newBuilder().setName("metrics").setNumber(2)
                        .setLabel(Label.LABEL_REPEATED).setType(Type.TYPE_MESSAGE).setTypeName(".sp.Metric"))
                .addField(field("seq", 3, Type.TYPE_UINT64))
                .addField(field("uuid", 4, Type.TYPE_STRING))
                .addField(field("body", 5, Type.TYPE_BYTES))
                .build();
        FileDescriptorProto file = FileDescriptorProto.newBuilder()
                .setName("sparkplug_b_by_hand.proto")
                .setPackage("sp")
                .setSyntax("proto2")
                .addMessageType(empty)
                .addMessageType(metric)
                .addMessageType(payload)
                .build();
        try {
            FileDescriptor descriptor = FileDescriptor.buildFrom(file, new FileDescriptor[0]);
            PAYLOAD = descriptor.findMessageTypeByName("Payload");
            METRIC = descriptor.findMessageTypeByName("Metric");
        } catch (DescriptorValidationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static FieldDescriptorProto field(String name, int number, Type type) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setLabel(Label.LABEL_OPTIONAL)
                .setType(type).build();
    }

    private static FieldDescriptorProto oneof(String name, int number, Type type) {
        return field(name, number, type).toBuilder().setOneofIndex(0).build();
    }

    private static FieldDescriptorProto message(String name, int number, String typeName) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setLabel(Label.LABEL_OPTIONAL)
                .setType(Type.TYPE_MESSAGE).setTypeName(typeName).build();
    }

    private SparkplugSchema() {}
}
