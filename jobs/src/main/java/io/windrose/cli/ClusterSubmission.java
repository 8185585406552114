package io.windrose.cli;

/**
 * What a command tells the {@code windrose} command line when it submitted a job to a Flink cluster ({@code flink run},
 * Flink's REST API): main must then neither exit the JVM, which is Flink's, nor swallow the job's failure.
 */
public interface ClusterSubmission {
    /** A job was submitted to the cluster (and runs or ran there). */
    void submitted();

    /** Submitting or running the job on the cluster failed: main throws {@code failure} on, for Flink to report. */
    void failed(Exception failure);
}
