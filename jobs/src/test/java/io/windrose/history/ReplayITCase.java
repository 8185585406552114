package io.windrose.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.WindroseCommand;
import io.windrose.cli.Cli;
import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.pipeline.PipelineConfigLoader;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.SensorAggregate;
import io.windrose.testing.Await;
import io.windrose.testing.InfluxQuery;
import io.windrose.testing.RealServices;
import io.windrose.testing.RunningJobs;
import io.windrose.testing.TestKafka;
import io.windrose.testing.TestMqtt;
import io.windrose.testing.TestPipelines;
import io.windrose.testing.TestSubscriber;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code windrose replay} and {@code windrose backtest} against real Mosquitto, Kafka and InfluxDB: a live job windows
 * an hour of event time (10,000 readings of 50 sensors, out of order, duplicated, some late), raises alerts of every
 * kind but deadman (thresholds with an MQTT action, {@code for} and {@code clear-after}, a rate, a window rule) and
 * archives the readings. A replay of the hour over the live points leaves every point (aggregates and alerts) as it
 * was, field by field, and sends no MQTT command; a replay beside them ({@code --measurement-suffix}) writes the same
 * points; a backtest of the rules in effect finds exactly the transitions the live job wrote; a backfill of a new
 * 1-hour tier counts every reading the live windows took.
 */
class ReplayITCase {
    private static final long T0 = 1764144000000L; // 2025-11-26T08:00:00Z: a whole hour
    private static final long HOUR = 3_600_000L;
    private static final String NAME = "replay";
    private static final int SENSORS = 50;
    private static final int EVERY_MS = 18_000; // 200 readings per sensor in the hour: 10,000

    @RegisterExtension
    final RunningJobs jobs = new RunningJobs();

    @Test
    void aReplayRewritesTheLivePointsUnchangedAndABackfillCountsEveryReading() throws Exception {
        MosquittoServer mosquitto = RealServices.mosquitto();
        InfluxServer influx = RealServices.influx();
        influx.createDatabase(NAME);
        Path pipeline = RealServices.newDirectory("replay").resolve("pipeline.yaml");
        Files.writeString(pipeline, TestPipelines.services(NAME, mosquitto, influx, NAME, RealServices.kafka())
                .replace("mqtt:\n", "mqtt:\n  delivery: at-least-once\n  qos: 1\n")
                .replace("  size: 10s\n", "  size: 1m\n  tiers: [10m]\n")
                // Kafka's retention counts from a record's timestamp, the reading's event time: a year ago here
                .replace("    readings-topic:", "    readings-retention: 3650d\n    readings-topic:") + """
                routes:
                  - name: sensors
                    topic-template: replay/{site}/{sensor}
                event-time:
                  max-out-of-orderness: 2s
                rules:
                  - name: hot
                    field: temperature
                    above: {warning: 30, critical: 34}
                    reset: {warning: 28}
                    actions:
                      - mqtt: {topic: 'replay-devices/{sensor}/fan/set', raised: 'ON', cleared: 'OFF', expiry: 1000d}
                  - name: held
                    field: temperature
                    above: 31
                    for: 1m
                    clear-after: 30s
                  - name: rising
                    kind: rate
                    field: temperature
                    above: 30
                    per: 1m
                    over: 2m
                  - name: warm-minute
                    on: window
                    stat: mean
                    field: temperature
                    above: 29
                """);
        PipelineConfig config = new PipelineConfigLoader().load(pipeline, List.of());
        jobs.start(config, mosquitto);

        // an hour of event time, every 18 s per sensor, a little out of order, every 7th sent twice
        Random random = new Random(7);
        List<String[]> messages = new ArrayList<>();
        for (long t = 0; t < HOUR; t += EVERY_MS) {
            for (int s = 0; s < SENSORS; s++) {
                long jitter = random.nextInt(1_500);
                messages.add(new String[] {"replay/site-" + (s % 3) + "/s-" + s,
                        reading("s-" + s, T0 + t + jitter, 20 + 15 * random.nextDouble())});
            }
        }
        try (TestMqtt devices = new TestMqtt(mosquitto.port())) {
            for (int i = 0; i < messages.size(); i++) {
                devices.publish(messages.get(i)[0], messages.get(i)[1]);
                if (i % 7 == 0) {
                    devices.publish(messages.get(i)[0], messages.get(i)[1]); // a duplicate: dropped by dedup
                }
            }
            // once the watermark is near the end of the hour: readings too late for their windows (not for alerts)
            Thread.sleep(1_500);
            for (int s = 0; s < 5; s++) {
                devices.publish("replay/site-0/s-" + s, reading("s-" + s, T0 + 30_500 + s, 99.0));
            }
            // past the hour: the watermark closes every window of it, as the archive's next stamp shows
            devices.publish("replay/site-0/s-0", reading("s-0", T0 + 3_900_000, 21.0));
            Thread.sleep(1_500);
            devices.publish("replay/site-0/s-1", reading("s-1", T0 + 3_900_001, 21.0));
        }
        String window = "SELECT * FROM sensors WHERE time >= " + T0 + "ms AND time < " + (T0 + HOUR) + "ms";
        String alertsQuery = "SELECT * FROM alerts WHERE time >= " + T0 + "ms AND time < " + (T0 + HOUR) + "ms";
        int points = SENSORS * 60 + SENSORS * 6; // 1-minute windows and 10-minute tiers
        List<Map<String, Object>> live = Await.until(() -> points(influx, NAME, window), rows -> rows.size() >= points,
                Duration.ofSeconds(120));
        assertThat(live).hasSize(points);
        long taken = live.stream().filter(row -> "1m".equals(row.get("window")))
                .mapToLong(row -> ((Number) row.get("temperature_count")).longValue()).sum();
        assertThat(taken).as("every reading once (duplicates dropped), the late ones left out").isEqualTo(10_000L);
        // the alerts of the hour (the last come with the readings that closed it)
        List<Map<String, Object>> liveAlerts = Await.until(() -> points(influx, NAME, alertsQuery),
                rows -> rows.stream().anyMatch(row -> "warm-minute".equals(row.get("rule"))
                        && ((Number) row.get("time")).longValue() >= T0 + HOUR - 60_000), Duration.ofSeconds(60));
        Thread.sleep(1_000);
        liveAlerts = points(influx, NAME, alertsQuery);
        assertThat(liveAlerts.stream().map(row -> row.get("rule")).distinct())
                .as("every rule raised something").containsExactlyInAnyOrder("hot", "held", "rising", "warm-minute");

        // the rules in effect over the archive: exactly the transitions the live job wrote
        Map<String, List<AlertEvent>> backtest = BacktestJob.run(config, Map.of("effective",
                HistoryAlerts.fileRules(config)), new Interval(Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + HOUR)));
        assertThat(transitions(backtest.get("effective"))).as("the backtest's transitions")
                .containsExactlyInAnyOrderElementsOf(transitionsOf(liveAlerts));
        // and as the command prints them: per rule and level, what the live job raised and cleared
        Path candidate = pipeline.resolveSibling("candidate.yaml");
        Files.writeString(candidate, "{name: hot, field: temperature, above: {warning: 32, critical: 34}}\n");
        Result json = run("backtest", "--config", pipeline.toString(), "--rules", candidate.toString(),
                "--from", String.valueOf(T0), "--to", String.valueOf(T0 + HOUR), "--json");
        assertThat(json.exit()).as(json.err()).isEqualTo(Cli.OK);
        Map<String, String> printed = new java.util.TreeMap<>();
        for (var row : new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out())) {
            if (row.get("set").asText().equals("effective") && (row.get("raised").asLong() > 0 || row.get("cleared").asLong() > 0)) {
                printed.put(row.get("rule").asText() + " " + row.get("level").asText(),
                        row.get("raised").asLong() + " raised, " + row.get("cleared").asLong() + " cleared");
            }
        }
        assertThat(printed).as("backtest --json, the rules in effect").isEqualTo(counts(liveAlerts));
        Result timeline = run("backtest", "--config", pipeline.toString(), "--rules", candidate.toString(),
                "--from", String.valueOf(T0), "--to", String.valueOf(T0 + HOUR), "--timeline", "s-3", "--progress-every", "100ms");
        assertThat(timeline.exit()).as(timeline.err()).isEqualTo(Cli.OK);
        assertThat(timeline.err()).containsPattern("backtest: [0-9,]+ archived records read, [0-9,]+/s, done");
        assertThat(timeline.out().lines().filter(line -> line.contains(" effective ")).count())
                .as("s-3's transitions in the timeline").isEqualTo(liveAlerts.stream()
                        .filter(row -> "s-3".equals(row.get("sensor"))).count());

        try (TestSubscriber commands = new TestSubscriber(mosquitto.port(), "replay-devices/#")) {
            Result inPlace = replay(pipeline, "--from", String.valueOf(T0), "--to", String.valueOf(T0 + HOUR));
            assertThat(inPlace.exit()).as(inPlace.err()).isEqualTo(Cli.OK);
            assertThat(inPlace.out()).contains("replay [2025-11-26T08:00:00Z, 2025-11-26T09:00:00Z): 10,000 readings"
                    + " replayed, 5 late in the live job (left out)");
            assertThat(points(influx, NAME, window)).as("the live points, unchanged").isEqualTo(live);
            assertThat(points(influx, NAME, alertsQuery)).as("the live alerts, unchanged").isEqualTo(liveAlerts);

            Result beside = replay(pipeline, "--from", "2025-11-26T08:00:00Z", "--to", "2025-11-26T09:00:00Z",
                    "--measurement-suffix", "_r");
            assertThat(beside.exit()).as(beside.err()).isEqualTo(Cli.OK);
            List<Map<String, Object>> replayed = points(influx, NAME, window.replace("FROM sensors", "FROM sensors_r"));
            assertThat(replayed).as("the same points beside the live ones").isEqualTo(live);
            assertThat(points(influx, NAME, alertsQuery.replace("FROM alerts", "FROM alerts_r")))
                    .as("the same alerts beside the live ones").isEqualTo(liveAlerts);
            Thread.sleep(1_000);
            assertThat(commands.received()).as("a replay runs no action").isEmpty();
        }

        // into another database of the same server, and onto a Kafka topic, with a progress line on the way
        influx.createDatabase(NAME + "_copy");
        Result copy = replay(pipeline, "--from", String.valueOf(T0), "--to", String.valueOf(T0 + HOUR),
                "--database", NAME + "_copy", "--to-kafka", NAME + ".replayed", "--progress-every", "100ms");
        assertThat(copy.exit()).as(copy.err()).isEqualTo(Cli.OK);
        assertThat(copy.err()).containsPattern("replay: [0-9,]+ of ≤ [0-9,]+ archived records");
        assertThat(points(influx, NAME + "_copy", window)).as("the same points in the other database").isEqualTo(live);
        List<TestKafka.Keyed<SensorAggregate>> onKafka = TestKafka.read(RealServices.kafka().bootstrapServers(),
                NAME + ".replayed", SensorAggregate.class, points, Duration.ofSeconds(30));
        assertThat(onKafka).hasSize(points).allSatisfy(r -> assertThat(r.key()).isEqualTo(r.value().getSensorId()));
        assertThat(onKafka.stream().filter(r -> r.value().getWindow().equals("1m"))
                .mapToLong(r -> r.value().getFields().get("temperature").getCount()).sum()).isEqualTo(taken);

        // windows the live job may still fill (after its watermark, as the archive's stamps show) are not written
        Result open = replay(pipeline, "--from", String.valueOf(T0 + 3_600_000), "--to", String.valueOf(T0 + 4_000_000),
                "--measurement-suffix", "_open");
        assertThat(open.exit()).as(open.err()).isEqualTo(Cli.OK);
        assertThat(open.err()).contains("windows ending after it may still be open there, and are not written");
        assertThat(open.out()).as("two sensors, a 1-minute window and a 10-minute tier each")
                .contains("0 window points written, 4 not (still open in the live job)");

        Result backfill = replay(pipeline, "--from", String.valueOf(T0), "--to", String.valueOf(T0 + HOUR),
                "--set", "window.tiers=[1h]", "--measurement-suffix", "_bf");
        assertThat(backfill.exit()).as(backfill.err()).isEqualTo(Cli.OK);
        assertThat(backfill.out()).contains("replay [2025-11-26T08:00:00Z, 2025-11-26T09:00:00Z): 10,000 readings");
        List<Map<String, Object>> hours = InfluxQuery.rows(influx, NAME,
                "SELECT temperature_count FROM sensors_bf WHERE \"window\" = '1h' GROUP BY sensor");
        assertThat(hours).hasSize(SENSORS);
        assertThat(hours.stream().mapToLong(row -> ((Number) row.get("temperature_count")).longValue()).sum())
                .as("the hour's readings the live windows took").isEqualTo(taken);
    }

    record Result(int exit, String out, String err) {}

    /** "time sensor rule level state value" of each transition. */
    private static List<String> transitions(List<AlertEvent> events) {
        return events.stream().map(e -> e.getEventTime() + " " + e.getSensorId() + " " + e.getRule() + " " + e.getLevel()
                + " " + e.getState() + " " + e.getValue()).toList();
    }

    /** "rule level" → "N raised, M cleared" of the alerts measurement's points (a level change raises the new level). */
    private static Map<String, String> counts(List<Map<String, Object>> rows) {
        Map<String, long[]> counts = new java.util.TreeMap<>();
        for (Map<String, Object> row : rows) {
            long[] count = counts.computeIfAbsent(row.get("rule") + " " + row.get("level"), k -> new long[2]);
            if ("CLEARED".equals(row.get("state"))) {
                count[1]++;
            } else if (!row.get("level").equals(row.get("previous_level"))) {
                count[0]++;
            }
        }
        Map<String, String> printed = new java.util.TreeMap<>();
        counts.forEach((key, count) -> printed.put(key, count[0] + " raised, " + count[1] + " cleared"));
        return printed;
    }

    /** The same of the points of the alerts measurement. */
    private static List<String> transitionsOf(List<Map<String, Object>> rows) {
        return rows.stream().map(row -> Instant.ofEpochMilli(((Number) row.get("time")).longValue()) + " " + row.get("sensor") + " "
                + row.get("rule") + " " + row.get("level") + " " + row.get("state") + " "
                + ((Number) row.get("value")).doubleValue()).toList();
    }

    /** The points of a query, tags as columns, in one order whatever order InfluxDB gives series of equal time in. */
    private static List<Map<String, Object>> points(InfluxServer influx, String database, String query) {
        List<Map<String, Object>> rows = new ArrayList<>(InfluxQuery.rows(influx, database, query));
        rows.sort(Comparator.comparing(row -> row.get("time") + "/" + row.get("sensor") + "/" + row.get("window") + "/"
                + row.get("rule") + "/" + row.get("level")));
        return rows;
    }

    private static Result replay(Path pipeline, String... args) {
        List<String> command = new ArrayList<>(List.of("replay", "--config", pipeline.toString()));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    private static Result run(String... command) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = WindroseCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), command);
        return new Result(exit, out.toString(), err.toString());
    }

    private static String reading(String sensor, long ts, double temperature) {
        return String.format(Locale.ROOT, "{\"sensor\":\"%s\",\"ts\":%d,\"temperature\":%.3f}", sensor, ts, temperature);
    }
}
