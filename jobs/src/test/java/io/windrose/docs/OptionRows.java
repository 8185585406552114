package io.windrose.docs;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.HtmlFormatter;
import org.apache.flink.util.TimeUtils;

/** A Flink option as a row of the docs' option tables: `key` | type | default | description, as Flink's own tables. */
final class OptionRows {
    private OptionRows() {}

    static String row(ConfigOption<?> option, boolean required) {
        String description = new HtmlFormatter().format(option.description()).replace("|", "\\|");
        String key = required ? "**`" + option.key() + "`**" : "`" + option.key() + "`";
        return "| " + key + " | " + type(option) + " | " + (required ? "required" : defaultValue(option)) + " | "
                + description + " |";
    }

    private static String type(ConfigOption<?> option) {
        try {
            Method clazz = ConfigOption.class.getDeclaredMethod("getClazz");
            Method isList = ConfigOption.class.getDeclaredMethod("isList");
            clazz.setAccessible(true);
            isList.setAccessible(true);
            Class<?> type = (Class<?>) clazz.invoke(option);
            String name = type.isEnum() ? "Enum: " + Arrays.stream(type.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", ")) : type.getSimpleName();
            return (boolean) isList.invoke(option) ? "List&lt;" + name + "&gt;" : name;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Flink's ConfigOption changed: " + e, e);
        }
    }

    private static String defaultValue(ConfigOption<?> option) {
        if (!option.hasDefaultValue()) {
            return "(none)";
        }
        Object value = option.defaultValue();
        return value instanceof Duration d ? TimeUtils.formatWithHighestUnit(d) : String.valueOf(value);
    }
}
