package io.windrose.config;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.NullValueProvider;
import com.fasterxml.jackson.databind.deser.SettableBeanProperty;
import com.fasterxml.jackson.databind.introspect.AnnotatedConstructor;
import com.fasterxml.jackson.databind.util.AccessPattern;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What an explicit {@code null} (or an empty value, {@code key:}) means in a configuration file, key by key: for a key
 * whose default is null it is that default (unset); for a key marked {@link NullMeansOff}, off; for every other key an
 * error naming the key and its default. Jackson would otherwise either skip the null (the default stays, silently) or
 * set it (a null where the stage expects a value).
 */
final class ExplicitNulls extends BeanDeserializerModifier {
    private static final long serialVersionUID = 1L;

    @Override
    public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription bean,
            BeanDeserializerBuilder builder) {
        Object defaults = defaults(bean);
        if (defaults == null) {
            return builder; // not a configuration section (no default constructor): Jackson's own handling
        }
        List<SettableBeanProperty> replaced = new ArrayList<>();
        for (Iterator<SettableBeanProperty> it = builder.getProperties(); it.hasNext(); ) {
            SettableBeanProperty property = it.next();
            Object value = property.getMember() == null ? null : property.getMember().getValue(defaults);
            boolean off = property.getAnnotation(NullMeansOff.class) != null;
            replaced.add(property.withNullProvider(off || value == null ? Unset.INSTANCE : new Refused(value)));
        }
        replaced.forEach(property -> builder.addOrReplaceProperty(property, true));
        return builder;
    }

    private static Object defaults(BeanDescription bean) {
        AnnotatedConstructor constructor = bean.findDefaultConstructor();
        if (constructor == null || !bean.getBeanClass().getName().startsWith("io.windrose.")) {
            return null;
        }
        try {
            constructor.fixAccess(true);
            return constructor.call();
        } catch (Exception e) {
            return null;
        }
    }

    /** Null is the key's default, or turns it off: the field becomes null. */
    private static final class Unset implements NullValueProvider {
        static final Unset INSTANCE = new Unset();

        @Override
        public Object getNullValue(DeserializationContext ctx) {
            return null;
        }

        @Override
        public AccessPattern getNullAccessPattern() {
            return AccessPattern.CONSTANT;
        }
    }

    /** The key has a default that null would silently replace or keep: an error naming the key. */
    private record Refused(Object defaultValue) implements NullValueProvider {
        @Override
        public Object getNullValue(DeserializationContext ctx) throws JsonMappingException {
            String message = "null (or an empty value) is not allowed here; " + hint(defaultValue);
            throw JsonMappingException.from(ctx, message, new IllegalArgumentException(message));
        }

        @Override
        public AccessPattern getNullAccessPattern() {
            return AccessPattern.DYNAMIC;
        }

        private static String hint(Object value) {
            if (value instanceof ConfigSection) {
                return "give its keys, or leave it out for its defaults";
            }
            if (value instanceof Collection<?> list) {
                return list.isEmpty() ? "write [] for none, or leave the key out" : "leave the key out for the default " + value;
            }
            if (value instanceof Map<?, ?> map) {
                return map.isEmpty() ? "write {} for none, or leave the key out" : "leave the key out for the default " + map;
            }
            String text = value instanceof Duration d ? Durations.format(d) : String.valueOf(value);
            return "leave the key out for the default, " + text;
        }
    }
}
