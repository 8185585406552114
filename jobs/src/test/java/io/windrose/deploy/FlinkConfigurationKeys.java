package io.windrose.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.JarURLConnection;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.MetricOptions;

/**
 * Flink configuration keys as Flink itself defines them: every {@code ConfigOption} constant of every {@code *Options}
 * class in the Flink jars on the class path (flink-core, -runtime, -streaming-java, -clients, the connectors), found
 * by scanning those jars, not from a hand-kept list. Deprecated keys (fallback keys marked deprecated, options marked
 * {@code @Deprecated}) are known as such. Key families that no {@code ConfigOption} constant spells out are handled
 * explicitly: {@code metrics.reporter.<name>.<option>}, {@code s3.*}, {@code kubernetes.operator.*}.
 */
final class FlinkConfigurationKeys {
    /**
     * Options of a reporter that its factory reads itself: the Prometheus reporter's port (flink-metrics-prometheus ships
     * as a plugin of the Flink image and is not on this class path; Flink's metric reporter documentation lists it).
     */
    private static final Set<String> REPORTER_OWN_OPTIONS = Set.of("port", "filterLabelValueCharacters");

    private final Map<String, ConfigOption<?>> options = new HashMap<>();
    /** Deprecated key → what replaces it. */
    private final Map<String, String> deprecated = new HashMap<>();
    /** {@code metrics.reporter.<name>.} options of MetricOptions, by their key below the reporter's name. */
    private final Map<String, ConfigOption<?>> reporterOptions = new HashMap<>();
    private final Set<String> scannedClasses = new TreeSet<>();

    FlinkConfigurationKeys() {
        try {
            Enumeration<URL> roots = FlinkConfigurationKeys.class.getClassLoader().getResources("org/apache/flink/");
            for (URL root : Collections.list(roots)) {
                if (root.openConnection() instanceof JarURLConnection jar) {
                    try (JarFile file = new JarFile(jar.getJarFileURL().getPath())) {
                        for (JarEntry entry : Collections.list(file.entries())) {
                            String name = entry.getName();
                            if (name.startsWith("org/apache/flink/") && name.endsWith("Options.class") && !name.contains("$")) {
                                add(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Field field : MetricOptions.class.getFields()) {
            ConfigOption<?> option = option(field);
            if (option != null && !option.key().startsWith("metrics.")) {
                reporterOptions.put(option.key(), option);
            }
        }
    }

    private void add(String className) {
        Class<?> type;
        try {
            type = Class.forName(className, false, FlinkConfigurationKeys.class.getClassLoader());
        } catch (Throwable e) { // an optional dependency of the class is missing: its options are not ours to use
            return;
        }
        scannedClasses.add(className);
        for (Field field : type.getFields()) {
            ConfigOption<?> option = option(field);
            if (option == null) {
                continue;
            }
            if (field.isAnnotationPresent(Deprecated.class)) {
                deprecated.putIfAbsent(option.key(), "nothing: the option is deprecated");
            } else {
                options.put(option.key(), option);
            }
            for (FallbackKey fallback : option.fallbackKeys()) {
                if (fallback.isDeprecated()) {
                    deprecated.put(fallback.getKey(), option.key());
                }
            }
        }
    }

    private static ConfigOption<?> option(Field field) {
        if (!Modifier.isStatic(field.getModifiers()) || !ConfigOption.class.isAssignableFrom(field.getType())) {
            return null;
        }
        try {
            return (ConfigOption<?>) field.get(null);
        } catch (IllegalAccessException | LinkageError e) { // a class that cannot initialize without its optional deps
            return null;
        }
    }

    /** The classes whose options are known (for the test's own check that the scan found Flink's). */
    Set<String> scannedClasses() {
        return scannedClasses;
    }

    /** What is wrong with these settings (flattened keys → values as written), one line each; empty when all is well. */
    List<String> problems(Map<String, String> settings) {
        List<String> problems = new ArrayList<>();
        Configuration configuration = Configuration.fromMap(settings);
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            String key = setting.getKey();
            String problem = problem(key, configuration);
            if (problem != null) {
                problems.add(key + ": " + problem);
            }
        }
        return problems;
    }

    private String problem(String key, Configuration configuration) {
        if (deprecated.containsKey(key) && !options.containsKey(key)) {
            return "deprecated in Flink 2.2, use " + deprecated.get(key);
        }
        if (key.startsWith("kubernetes.operator.")) {
            return null; // the Flink Kubernetes Operator's own settings, read by the operator, not by Flink
        }
        if (key.startsWith("s3.")) {
            return null; // passed on to the S3 file system plugin (Hadoop/Presto keys), not Flink options
        }
        if (key.startsWith("metrics.reporter.")) {
            String[] parts = key.split("\\.", 4);
            if (parts.length < 4) {
                return "expected metrics.reporter.<name>.<option>";
            }
            ConfigOption<?> option = reporterOptions.get(parts[3]);
            if (option != null) {
                return valueProblem(option.key(), option, Configuration.fromMap(Map.of(option.key(),
                        configuration.toMap().get(key))));
            }
            return REPORTER_OWN_OPTIONS.contains(parts[3]) ? null
                    : "not a reporter option; expected one of " + new TreeSet<>(reporterOptions.keySet()) + " or "
                            + REPORTER_OWN_OPTIONS;
        }
        ConfigOption<?> option = options.get(key);
        if (option == null) {
            return "not a Flink 2.2 option (none of the " + scannedClasses.size() + " *Options classes of Flink's jars"
                    + " defines it)";
        }
        return valueProblem(key, option, configuration);
    }

    private static String valueProblem(String key, ConfigOption<?> option, Configuration configuration) {
        try {
            configuration.get(option);
            return null;
        } catch (RuntimeException e) {
            return "value '" + configuration.toMap().get(key) + "' is not valid: " + e.getMessage();
        }
    }
}
