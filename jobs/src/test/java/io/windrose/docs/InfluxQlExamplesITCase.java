package io.windrose.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.localcluster.InfluxServer;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.AlertState;
import io.windrose.sink.InfluxPoints;
import io.windrose.testing.InfluxQuery;
import io.windrose.testing.RealServices;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every {@code ```sql influxql} block of the user docs runs against a real influxd: each statement is valid InfluxQL
 * and finds the points Windrose writes (a sensor's 10 s window, alerts of a threshold and a stuck rule, written as the
 * job writes them, and of an anomaly rule, written by the job's own {@link InfluxPoints#alerts()}, at the current time
 * so that the docs' {@code now() - 1h} filters hold).
 */
class InfluxQlExamplesITCase {
    private static final String DATABASE = "docs_influxql";

    @Test
    void everyInfluxQlExampleRunsAndFindsPoints() {
        InfluxServer influx = RealServices.influx();
        influx.createDatabase(DATABASE);
        long now = System.currentTimeMillis();
        influx.write(DATABASE, String.join("\n",
                "sensors,site=site-a,sensor=s-1,window=10s temperature_count=5i,temperature_sum=105.5,temperature_min=20.5,"
                        + "temperature_max=21.5,temperature_mean=21.1,temperature_last=21.2 " + (now - 60_000),
                "alerts,sensor=s-1,rule=too-hot,level=warning state=\"RAISED\",value=29.1,threshold=28.0,kind=\"threshold\","
                        + "flapping=false,message=\"s-1: temperature 29.1\" " + (now - 50_000),
                "alerts,sensor=s-2,rule=frozen-temperature,level=critical state=\"RAISED\",value=20.0,threshold=600.0,"
                        + "kind=\"stuck\",flapping=false,message=\"s-2 temperature stuck at 20 for 10m\" " + (now - 40_000),
                InfluxPoints.alerts().toPoint(anomaly(now - 30_000)).toLineProtocol()));
        List<String> statements = new ArrayList<>();
        for (UserDocs.Block block : UserDocs.blocks()) {
            if (block.language().equals("sql") && block.kind().equals("influxql")) {
                statements(block).forEach(statement -> statements.add(block.where() + ": " + statement));
            }
        }
        assertThat(statements).as("InfluxQL examples in the docs").hasSizeGreaterThanOrEqualTo(5);
        for (String located : statements) {
            String statement = located.substring(located.indexOf(": ") + 2);
            assertThat(InfluxQuery.rows(influx, DATABASE, statement)).as(located).isNotEmpty();
        }
    }

    /** An anomaly rule's RAISED event, with its score (a field only anomaly alerts have). */
    private static AlertEvent anomaly(long time) {
        return AlertEvent.newBuilder()
                .setSensorId("s-11")
                .setMeasurement("sensors")
                .setTags(Map.of("site", "site-b"))
                .setRule("unusual")
                .setLevel("critical")
                .setState(AlertState.RAISED)
                .setField("temperature")
                .setValue(23.4)
                .setThreshold(6)
                .setEventTime(Instant.ofEpochMilli(time))
                .setKind("anomaly")
                .setStartedAt(Instant.ofEpochMilli(time))
                .setDurationMs(0L)
                .setScore(14.2)
                .setMessage("s-11 at site-b: temperature 23.4 °C, 14.2 deviations from its baseline (critical)")
                .build();
    }

    /** The statements of a block: each begins on a line of its own; indented lines continue it; comments are skipped. */
    private static List<String> statements(UserDocs.Block block) {
        List<String> statements = new ArrayList<>();
        for (String line : block.text().split("\n")) {
            if (line.isBlank() || line.strip().startsWith("--")) {
                continue;
            }
            if (Character.isWhitespace(line.charAt(0)) && !statements.isEmpty()) {
                statements.set(statements.size() - 1, statements.get(statements.size() - 1) + " " + line.strip());
            } else {
                statements.add(line.strip());
            }
        }
        return statements;
    }
}
