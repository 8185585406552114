package io.windrose.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Validation of a {@link ConfigSection} at its place in a file: each failed check throws a {@link ConfigException}
 * naming the file, the full key (e.g. {@code routes[0].timestamp.zone}) and what was expected.
 */
public final class ConfigCheck {
    private final String file;
    private final String prefix;

    public ConfigCheck(String file) {
        this(file, "");
    }

    private ConfigCheck(String file, String prefix) {
        this.file = file;
        this.prefix = prefix;
    }

    /** The check for the key {@code key} below this one (a nested section). */
    public ConfigCheck at(String key) {
        return new ConfigCheck(file, key(key));
    }

    /** Validates {@code section} as the key {@code key} below this one. */
    public void section(String key, ConfigSection section) {
        section.validate(at(key));
    }

    /** Validates each section of a list as {@code key[i]}. */
    public void each(String key, List<? extends ConfigSection> sections) {
        for (int i = 0; i < sections.size(); i++) {
            sections.get(i).validate(at(key + "[" + i + "]"));
        }
    }

    /** The full key of {@code key} below this one; "" is this one itself. */
    public String key(String key) {
        if (key.isEmpty()) {
            return prefix;
        }
        if (prefix.isEmpty()) {
            return key;
        }
        return key.startsWith("[") ? prefix + key : prefix + "." + key;
    }

    public ConfigException error(String key, String expected) {
        return new ConfigException(file, key(key), expected);
    }

    public void require(boolean ok, String key, String expected) {
        if (!ok) {
            throw error(key, expected);
        }
    }

    public void notBlank(String value, String key, String expected) {
        require(value != null && !value.isBlank(), key, expected);
    }

    public void positive(Duration d, String key) {
        require(d != null && !d.isNegative() && !d.isZero(), key, "expected a duration above zero such as 10s");
    }

    public void notNegative(Duration d, String key) {
        require(d != null && !d.isNegative(), key, "expected a duration of zero or more such as 5s");
    }

    public void atLeast(long value, long min, String key) {
        require(value >= min, key, "expected a whole number of at least " + min + ", got " + value);
    }

    /** A file the job will read: absent is fine, present must be readable. */
    public void readableFile(String path, String key) {
        if (path != null) {
            require(Files.isReadable(Path.of(path)), key, "expected a readable file, but '" + path
                    + "' does not exist or cannot be read");
        }
    }

    /** An http:// or https:// URL with a host. */
    public void httpUrl(String value, String key) {
        boolean ok;
        try {
            URI uri = URI.create(value);
            ok = ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException | NullPointerException e) {
            ok = false;
        }
        require(ok, key, "expected http(s)://host:port, got '" + value + "'");
    }

    /** Runs a parser of the value at {@code key}; its IllegalArgumentException message becomes the expectation. */
    public <T> T parse(String key, Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw error(key, e.getMessage());
        }
    }
}
