package io.windrose.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.windrose.history.BacktestReport;
import io.windrose.history.CandidateRules;
import io.windrose.history.Interval;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.AlertState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backtest section of docs/history.md: each candidate rules file it shows is read by the backtest's reader, and
 * its sample output (text and JSON) is what the report prints for the transitions below.
 */
class BacktestDocsTest {
    private static final Path PAGE = UserDocs.ROOT.resolve("docs/history.md");
    private static final Interval WEEK = new Interval(Instant.parse("2026-12-01T00:00:00Z"),
            Instant.parse("2026-12-08T00:00:00Z"));

    @TempDir
    Path dir;

    private static List<UserDocs.Block> section() {
        List<String> lines = UserDocs.lines(PAGE);
        int start = lines.indexOf("## Backtest") + 1;
        assertThat(start).as("a '## Backtest' heading in " + PAGE).isPositive();
        int end = start;
        while (end < lines.size() && !lines.get(end).startsWith("## ")) {
            end++;
        }
        int from = start;
        int to = end + 1;
        return UserDocs.blocks(PAGE).stream().filter(b -> b.line() > from && b.line() < to).toList();
    }

    @Test
    void everyCandidateFileOnThePageIsRead() throws Exception {
        int files = 0;
        for (UserDocs.Block block : section()) {
            if (block.language().equals("yaml")) {
                Path file = Files.writeString(dir.resolve("candidate-" + block.line() + ".yaml"), block.text());
                assertThat(CandidateRules.of(file, "sensors").effective(List.of())).as(block.where()).isNotEmpty();
                files++;
            }
        }
        assertThat(files).as("candidate files shown").isGreaterThanOrEqualTo(3);
    }

    @Test
    void theSampleOutputIsWhatTheReportPrints() throws Exception {
        BacktestReport report = BacktestReport.of(sample(), WEEK, Map.of(
                "effective", Map.of("too-hot", List.of("warning")),
                "candidate", Map.of("too-hot", List.of("warning", "critical"))));
        StringWriter text = new StringWriter();
        report.printText(new PrintWriter(text, true));
        List<UserDocs.Block> blocks = section();
        String shownText = blocks.stream().filter(b -> b.language().equals("text")).findFirst().orElseThrow().text();
        assertThat(shownText).as("the ```text sample in " + PAGE).isEqualTo(text.toString());
        String shownJson = blocks.stream().filter(b -> b.language().equals("json")).findFirst().orElseThrow().text();
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(shownJson)).as("the ```json sample in " + PAGE).isEqualTo(json.readTree(report.json()));
    }

    /** Two pumps over a week: the rule in effect raises often, the candidate less often but also at critical. */
    static Map<String, List<AlertEvent>> sample() {
        Map<String, List<AlertEvent>> sets = new LinkedHashMap<>();
        sets.put("effective", List.of(
                event("pump-7", "warning", null, AlertState.RAISED, "2026-12-01T10:00:00Z", 30.4),
                event("pump-7", "warning", "warning", AlertState.CLEARED, "2026-12-01T10:20:00Z", 29.8),
                event("pump-8", "warning", null, AlertState.RAISED, "2026-12-02T14:00:00Z", 31.0),
                event("pump-8", "warning", "warning", AlertState.CLEARED, "2026-12-02T16:30:00Z", 29.5),
                event("pump-7", "warning", null, AlertState.RAISED, "2026-12-07T22:00:00Z", 33.1)));
        sets.put("candidate", List.of(
                event("pump-8", "warning", null, AlertState.RAISED, "2026-12-02T14:10:00Z", 32.6),
                event("pump-8", "warning", "warning", AlertState.CLEARED, "2026-12-02T16:00:00Z", 31.9),
                event("pump-7", "warning", null, AlertState.RAISED, "2026-12-07T22:02:00Z", 33.1),
                event("pump-7", "critical", "warning", AlertState.RAISED, "2026-12-07T23:00:00Z", 40.2)));
        return sets;
    }

    private static AlertEvent event(String sensor, String level, String previous, AlertState state, String time,
            double value) {
        return AlertEvent.newBuilder().setSensorId(sensor).setMeasurement("sensors").setTags(Map.of())
                .setRule("too-hot").setLevel(level).setState(state).setField("temperature").setValue(value)
                .setThreshold(30).setEventTime(Instant.parse(time)).setKind("threshold").setPreviousLevel(previous)
                .build();
    }
}
