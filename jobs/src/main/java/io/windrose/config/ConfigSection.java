package io.windrose.config;

/**
 * One section of a configuration file, bound by Jackson from kebab-case keys: it owns its typed settings, their
 * defaults (the field initialisers) and their validation. Derived values are methods, never written back.
 */
public interface ConfigSection {
    /** Checks the section's values; {@code check} names keys relative to where the section sits in the file. */
    void validate(ConfigCheck check);
}
