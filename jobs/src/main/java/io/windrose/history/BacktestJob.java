package io.windrose.history;

import io.windrose.alert.RuleBook;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.schema.AlertEvent;
import java.util.List;
import java.util.Map;

/**
 * The alert transitions of rule sets over the archive's readings of an interval, as the live job would have raised
 * them: each set's reading rules and window rules run as in the live job, no action runs, nothing is written.
 */
public final class BacktestJob {
    private BacktestJob() {}

    /**
     * The transitions of each rule set (in the order of {@code sets}) with an event time inside {@code interval},
     * each list ordered by event time, then sensor, then rule.
     */
    public static Map<String, List<AlertEvent>> run(PipelineConfig config, Map<String, RuleBook> sets,
            Interval interval) throws Exception {
        throw new UnsupportedOperationException("not yet"); // being written (lead)
    }
}
