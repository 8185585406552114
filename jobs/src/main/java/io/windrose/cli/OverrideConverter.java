package io.windrose.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A {@code --set key=value} override: a dotted key (list items by index: routes.0.name), '=', the value (may be empty). */
public final class OverrideConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
        int eq = value.indexOf('=');
        if (eq <= 0 || value.substring(0, eq).isBlank()) {
            throw new TypeConversionException("expected key=value such as window.size=30s, got '" + value + "'");
        }
        return value;
    }
}
