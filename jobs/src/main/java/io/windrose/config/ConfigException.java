package io.windrose.config;

/** A configuration file that cannot be used: names the file, the key and what was expected. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String file, String key, String problem) {
        super(file + ": " + (key == null || key.isEmpty() ? "" : "key '" + key + "': ") + problem);
    }
}
