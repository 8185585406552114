package io.windrose.pipeline;

import io.windrose.config.ConfigException;
import io.windrose.config.ConfigFileLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Reads a pipeline YAML file (see {@link ConfigFileLoader}: {@code ${ENV}} interpolation, {@code key=value}
 * overrides, strict binding, each section's validation). Every error is a {@link ConfigException}.
 */
public final class PipelineConfigLoader {
    private final ConfigFileLoader loader;

    public PipelineConfigLoader() {
        this(System::getenv);
    }

    public PipelineConfigLoader(Function<String, String> environment) {
        this.loader = new ConfigFileLoader(environment);
    }

    /** Loads {@code file} and applies {@code overrides} ("dotted.key=value", list items by index: routes.0.name=x). */
    public PipelineConfig load(Path file, List<String> overrides) {
        return loader.load(file, overrides, PipelineConfig.class);
    }
}
