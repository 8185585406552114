package io.windrose.history;

import static io.windrose.history.BacktestEvents.MIN;
import static io.windrose.history.BacktestEvents.changed;
import static io.windrose.history.BacktestEvents.cleared;
import static io.windrose.history.BacktestEvents.event;
import static io.windrose.history.BacktestEvents.raised;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.AlertState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The backtest's figures per set, rule and level, and their text and JSON forms. */
class BacktestReportTest {
    /** [0, 60 min) */
    private static final Interval HOUR = new Interval(Instant.EPOCH, Instant.ofEpochMilli(60 * MIN));

    private static BacktestReport.Row row(BacktestReport report, String set, String rule, String level) {
        return report.rows().stream().filter(r -> r.set().equals(set) && r.rule().equals(rule) && r.level().equals(level))
                .findFirst().orElseThrow(() -> new AssertionError("no row " + set + " " + rule + " " + level));
    }

    private static Map<String, List<AlertEvent>> sets(List<AlertEvent> effective, List<AlertEvent> candidate) {
        Map<String, List<AlertEvent>> sets = new LinkedHashMap<>();
        sets.put("effective", effective);
        sets.put("candidate", candidate);
        return sets;
    }

    @Test
    void countsTimeInAlertLongestAndSensors() {
        BacktestReport report = BacktestReport.of(sets(List.of(
                raised("hot", "p1", "warning", 0, 31),
                raised("hot", "p2", "warning", 5, 32),
                cleared("hot", "p1", "warning", 10, 29),
                raised("hot", "p1", "warning", 20, 31),
                cleared("hot", "p1", "warning", 22, 29),
                cleared("hot", "p2", "warning", 35, 29)), List.of()), HOUR);
        BacktestReport.Row hot = row(report, "effective", "hot", "warning");
        assertThat(hot.raised()).isEqualTo(3);
        assertThat(hot.cleared()).isEqualTo(3);
        assertThat(hot.stillRaised()).isZero();
        assertThat(hot.timeInAlertMs()).isEqualTo((10 + 2 + 30) * MIN);
        assertThat(hot.longestAlertMs()).isEqualTo(30 * MIN);
        assertThat(hot.sensors()).isEqualTo(2);
        assertThat(hot.difference()).isNull();
    }

    @Test
    void oneSensorIdInTwoMeasurementsIsTwoAlerts() {
        AlertEvent otherRaised = raised("hot", "p1", "warning", 2, 31);
        otherRaised.setMeasurement("boilers");
        AlertEvent otherCleared = cleared("hot", "p1", "warning", 4, 29);
        otherCleared.setMeasurement("boilers");
        BacktestReport report = BacktestReport.of(sets(List.of(raised("hot", "p1", "warning", 0, 31), otherRaised,
                otherCleared, cleared("hot", "p1", "warning", 10, 29)), List.of()), HOUR);
        BacktestReport.Row hot = row(report, "effective", "hot", "warning");
        assertThat(hot.raised()).isEqualTo(2);
        assertThat(hot.cleared()).isEqualTo(2);
        assertThat(hot.timeInAlertMs()).as("10 min in sensors, 2 in boilers").isEqualTo(12 * MIN);
        assertThat(hot.sensors()).isEqualTo(2);
    }

    @Test
    void anAlertStillRaisedAtTheEndCountsUntilTo() {
        BacktestReport report = BacktestReport.of(sets(List.of(raised("hot", "p1", "warning", 50, 31)), List.of()), HOUR);
        BacktestReport.Row hot = row(report, "effective", "hot", "warning");
        assertThat(hot.raised()).isEqualTo(1);
        assertThat(hot.cleared()).isZero();
        assertThat(hot.stillRaised()).isEqualTo(1);
        assertThat(hot.timeInAlertMs()).isEqualTo(10 * MIN);
        assertThat(hot.longestAlertMs()).isEqualTo(10 * MIN);
    }

    @Test
    void aLevelChangeRaisesTheNewLevelAndEndsTheStayAtTheOldWithoutClearingIt() {
        BacktestReport report = BacktestReport.of(sets(List.of(
                raised("hot", "p1", "warning", 0, 31),
                changed("hot", "p1", "warning", "critical", 10, 41),
                changed("hot", "p1", "critical", "warning", 15, 35),
                cleared("hot", "p1", "warning", 30, 29)), List.of()), HOUR);
        BacktestReport.Row warning = row(report, "effective", "hot", "warning");
        BacktestReport.Row critical = row(report, "effective", "hot", "critical");
        assertThat(warning.raised()).isEqualTo(2);
        assertThat(warning.levelChanges()).isEqualTo(1);
        assertThat(warning.cleared()).isEqualTo(1);
        assertThat(warning.timeInAlertMs()).isEqualTo((10 + 15) * MIN);
        assertThat(warning.longestAlertMs()).isEqualTo(15 * MIN);
        assertThat(critical.raised()).isEqualTo(1);
        assertThat(critical.levelChanges()).isEqualTo(1);
        assertThat(critical.cleared()).isZero();
        assertThat(critical.timeInAlertMs()).isEqualTo(5 * MIN);
        // the levels' times add up to the time the rule was raised
        assertThat(warning.timeInAlertMs() + critical.timeInAlertMs()).isEqualTo(30 * MIN);
        assertThat(report.rows()).extracting(BacktestReport.Row::level).containsExactly("warning", "critical");
    }

    @Test
    void anAlertRaisedBeforeTheIntervalCountsFromFrom() {
        BacktestReport report = BacktestReport.of(sets(List.of(
                changed("hot", "p1", "warning", "critical", 10, 41),
                cleared("hot", "p1", "critical", 12, 20)), List.of()), HOUR);
        assertThat(row(report, "effective", "hot", "warning").timeInAlertMs()).isEqualTo(10 * MIN);
        assertThat(row(report, "effective", "hot", "warning").raised()).isZero();
        assertThat(row(report, "effective", "hot", "critical").timeInAlertMs()).isEqualTo(2 * MIN);
    }

    @Test
    void aRunOfFlappingTransitionsIsOneEpisode() {
        BacktestReport report = BacktestReport.of(sets(List.of(
                raised("hot", "p1", "warning", 0, 31),
                // flapping starts: held raised at the same level (no raise), then a level change while flapping
                event("hot", "p1", "warning", "warning", AlertState.RAISED, 5, 30, true),
                event("hot", "p1", "critical", "warning", AlertState.RAISED, 6, 41, true),
                // another sensor's flapping at the same time is its own episode
                event("hot", "p2", "warning", null, AlertState.RAISED, 7, 31, true),
                // flapping ends while raised, then again a second episode, ended by a clear
                event("hot", "p1", "critical", "critical", AlertState.RAISED, 20, 41, false),
                event("hot", "p1", "critical", "critical", AlertState.RAISED, 30, 41, true),
                cleared("hot", "p1", "critical", 40, 20)), List.of()), HOUR);
        BacktestReport.Row warning = row(report, "effective", "hot", "warning");
        BacktestReport.Row critical = row(report, "effective", "hot", "critical");
        assertThat(warning.flappingEpisodes()).isEqualTo(2); // p1 from minute 5, p2 from minute 7
        assertThat(critical.flappingEpisodes()).isEqualTo(1); // p1 from minute 30
        assertThat(warning.raised()).isEqualTo(2); // p1 at 0, p2 at 7: not the flapping start at 5
        assertThat(critical.raised()).isEqualTo(1);
        assertThat(critical.cleared()).isEqualTo(1);
        assertThat(critical.timeInAlertMs()).isEqualTo(34 * MIN);
        assertThat(warning.timeInAlertMs()).isEqualTo(6 * MIN + 53 * MIN); // p1 0..6, p2 7..60 (open)
        assertThat(warning.stillRaised()).isEqualTo(1);
    }

    @Test
    void candidatesAreComparedWithTheEffectiveRowOfTheSameRuleAndLevel() {
        BacktestReport report = BacktestReport.of(sets(
                List.of(raised("hot", "p1", "warning", 0, 31), cleared("hot", "p1", "warning", 10, 29),
                        raised("hot", "p2", "warning", 12, 31), cleared("hot", "p2", "warning", 14, 29)),
                List.of(raised("hot", "p1", "warning", 2, 33), changed("hot", "p1", "warning", "critical", 3, 45),
                        cleared("hot", "p1", "critical", 8, 29))), HOUR,
                Map.of("effective", Map.of("hot", List.of("warning")),
                        "candidate", Map.of("hot", List.of("warning", "critical"), "cold", List.of("warning"))));
        BacktestReport.Row warning = row(report, "candidate", "hot", "warning");
        assertThat(warning.difference()).isEqualTo(new BacktestReport.Difference(false, -1, -2, -1,
                1 * MIN - 12 * MIN));
        assertThat(row(report, "candidate", "hot", "critical").difference().isNew()).isTrue();
        // a configured rule that never fired has its row, all zero
        BacktestReport.Row cold = row(report, "candidate", "cold", "warning");
        assertThat(cold.raised()).isZero();
        assertThat(cold.difference().isNew()).isTrue();
    }

    @Test
    void jsonIsOneArrayOfAnObjectPerSetRuleAndLevel() throws Exception {
        BacktestReport report = BacktestReport.of(sets(
                List.of(raised("hot", "p1", "warning", 0, 31), cleared("hot", "p1", "warning", 10, 29)),
                List.of(raised("hot", "p1", "warning", 2, 33), raised("cold", "p2", "info", 50, 1))), HOUR);
        JsonNode array = new ObjectMapper().readTree(report.json());
        assertThat(array.isArray()).isTrue();
        assertThat(array).hasSize(3);
        JsonNode effective = array.get(0);
        assertThat(effective.path("set").asText()).isEqualTo("effective");
        assertThat(effective.path("rule").asText()).isEqualTo("hot");
        assertThat(effective.path("level").asText()).isEqualTo("warning");
        assertThat(effective.path("raised").asLong()).isEqualTo(1);
        assertThat(effective.path("cleared").asLong()).isEqualTo(1);
        assertThat(effective.path("sensors").asLong()).isEqualTo(1);
        assertThat(effective.path("timeInAlertMs").isIntegralNumber()).isTrue();
        assertThat(effective.path("timeInAlertMs").asLong()).isEqualTo(10 * MIN);
        assertThat(effective.path("longestAlertMs").asLong()).isEqualTo(10 * MIN);
        assertThat(effective.has("difference")).isFalse();
        JsonNode hot = array.get(1);
        assertThat(hot.path("set").asText()).isEqualTo("candidate");
        assertThat(hot.path("stillRaised").asLong()).isEqualTo(1);
        assertThat(hot.path("timeInAlertMs").asLong()).isEqualTo(58 * MIN);
        assertThat(hot.path("difference").path("raised").asLong()).isZero();
        assertThat(hot.path("difference").path("cleared").asLong()).isEqualTo(-1);
        assertThat(hot.path("difference").path("sensors").asLong()).isZero();
        assertThat(hot.path("difference").path("timeInAlertMs").asLong()).isEqualTo(48 * MIN);
        assertThat(array.get(2).path("rule").asText()).isEqualTo("cold");
        assertThat(array.get(2).path("difference").asText()).isEqualTo("new");
        for (JsonNode row : array) {
            assertThat(row.fieldNames()).toIterable().contains("set", "rule", "level", "raised", "levelChanges",
                    "cleared", "stillRaised", "timeInAlertMs", "longestAlertMs", "flappingEpisodes", "sensors");
        }
    }

    @Test
    void textHasABlockPerSetAndTheTimelineBothSetsInTimeOrder() {
        BacktestReport report = BacktestReport.of(sets(
                List.of(raised("hot", "p1", "warning", 0, 31), cleared("hot", "p1", "warning", 10, 29)),
                List.of(raised("hot", "p1", "warning", 2, 33.5), raised("hot", "p2", "warning", 3, 34))), HOUR);
        StringWriter text = new StringWriter();
        report.printText(new PrintWriter(text, true));
        assertThat(text.toString()).contains("effective rules, [1970-01-01T00:00:00Z, 1970-01-01T01:00:00Z): 2 transitions",
                "candidate rules, ", "vs effective", "raised +1, cleared -1, sensors +1", "10m");
        StringWriter timeline = new StringWriter();
        report.printTimeline("p1", new PrintWriter(timeline, true));
        assertThat(timeline.toString().lines().skip(2).map(l -> l.trim().split("\\s+")[1] + " " + l.trim().split("\\s+")[4]))
                .containsExactly("effective RAISED", "candidate RAISED", "effective CLEARED");
        assertThat(timeline.toString()).contains("33.5").doesNotContain("p2");
    }

    @Test
    void durationsReadAsUsersWriteThem() {
        assertThat(BacktestReport.duration(250)).isEqualTo("250ms");
        assertThat(BacktestReport.duration(3_723_000)).isEqualTo("1h 2m 3s");
        assertThat(BacktestReport.duration(86_400_000L + 60_000)).isEqualTo("1d 1m");
    }
}
