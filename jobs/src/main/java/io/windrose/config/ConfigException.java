package io.windrose.config;

/** A pipeline file that cannot be used: names the file, the key and what was expected. */
public final class ConfigException extends RuntimeException {
    private final String file;
    private final String key;

    public ConfigException(String file, String key, String problem) {
        super(file + ": " + (key == null || key.isEmpty() ? "" : "key '" + key + "': ") + problem);
        this.file = file;
        this.key = key;
    }

    public String file() {
        return file;
    }

    public String key() {
        return key;
    }
}
