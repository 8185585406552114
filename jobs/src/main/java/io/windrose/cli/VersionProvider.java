package io.windrose.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code windrose --version}: Windrose's version and the git commit it was built from (both written by the build into
 * {@code windrose-version.properties}; the commit ends in {@code -dirty} when the work tree had changes, and is
 * {@code unknown} when built without git), Flink's version (of the Flink this runs on), Java's.
 */
public final class VersionProvider implements IVersionProvider {
    static final String RESOURCE = "windrose-version.properties";
    private static final String UNKNOWN = "unknown";

    @Override
    public String[] getVersion() {
        return new String[] {
            "Windrose " + windrose() + " (commit " + commit() + ")",
            "Flink " + flink(),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }

    /** This build's version (the Maven project version). */
    public static String windrose() {
        return build().getProperty("version", UNKNOWN);
    }

    /** The git commit this build was made from (short hash, {@code -dirty} with uncommitted changes), or unknown. */
    public static String commit() {
        return build().getProperty("commit", UNKNOWN);
    }

    /** The version of the Flink on the class path: the standalone jar's own, or the cluster's. */
    public static String flink() {
        try {
            return org.apache.flink.runtime.util.EnvironmentInformation.getVersion();
        } catch (LinkageError e) {
            return "(not on the class path)";
        }
    }

    private static Properties build() {
        Properties properties = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
