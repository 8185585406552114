package io.windrose.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A key of a configuration file that has moved: on the file's top-level section class, one per key. A file (or a
 * {@code key=value} override) that still has the old key stops loading with an error naming the file, the old key and
 * the new one, before the file is bound (where it would be only an unknown key). Both are dotted paths of mapping keys
 * from the top level, e.g. {@code sinks.kafka.rules-topic}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Repeatable(MovedKey.List.class)
public @interface MovedKey {
    /** Where the key was, e.g. {@code sinks.kafka.rules-topic}. */
    String from();

    /** Where it is now, e.g. {@code runtime-rules.topic}. */
    String to();

    /** The moved keys of one section class. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface List {
        MovedKey[] value();
    }
}
