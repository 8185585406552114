package io.windrose.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a key whose explicit {@code null} turns something off (e.g. a Kafka output's topic). Every other key with a
 * default takes no {@code null}: the loader stops naming the key instead of silently keeping the default.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface NullMeansOff {}
