package io.windrose.cli;

import io.windrose.pipeline.PipelineConfig;
import io.windrose.pipeline.PipelineConfigLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --config FILE [--set key=value ...]}: the pipeline file of {@code run} and {@code check}. */
public final class PipelineOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "The pipeline file (YAML).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", converter = OverrideConverter.class,
            description = "Overrides a key of the pipeline file (repeatable). A list item by its index:"
                    + " --set routes.0.format=json")
    List<String> overrides = new ArrayList<>();

    /** The pipeline file as given. */
    public Path file() {
        return config;
    }

    /** The overrides as given, in order. */
    public List<String> overrides() {
        return List.copyOf(overrides);
    }

    /**
     * Loads the pipeline file with its overrides.
     *
     * @throws ParameterException without {@code --config} (a usage error)
     * @throws io.windrose.config.ConfigException naming the file and the key of what is wrong
     */
    public PipelineConfig load() {
        if (config == null) {
            throw new ParameterException(command.commandLine(), "Missing required option: '--config FILE'");
        }
        return new PipelineConfigLoader().load(config, overrides);
    }
}
