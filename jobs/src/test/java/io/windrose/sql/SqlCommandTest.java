package io.windrose.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.WindroseCommand;
import io.windrose.cli.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code windrose sql --explain} plans a script through the real planner and factories, without running a job. */
class SqlCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int sql(String script, String... options) throws Exception {
        Path file = dir.resolve("script.sql");
        Files.writeString(file, script);
        String[] args = new String[options.length + 2];
        args[0] = "sql";
        System.arraycopy(options, 0, args, 1, options.length);
        args[args.length - 1] = file.toString();
        return WindroseCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private static final String TABLES = """
            CREATE TABLE readings (
              sensor STRING,
              temperature DOUBLE,
              arrival AS PROCTIME()
            ) WITH ('connector' = 'datagen', 'fields.sensor.length' = '2');
            CREATE TABLE commands (topic STRING, command STRING) WITH ('connector' = 'blackhole');
            """;

    @Test
    void explainPlansAnOverWindowTransitionQuery() throws Exception {
        int exit = sql(TABLES + """
                INSERT INTO commands
                SELECT CONCAT('devices/', sensor, '/fan/set'), IF(hot, 'ON', 'OFF')
                FROM (
                  SELECT sensor, temperature > 30 AS hot,
                         LAG(temperature > 30) OVER (PARTITION BY sensor ORDER BY arrival) AS was_hot
                  FROM readings)
                WHERE hot IS DISTINCT FROM was_hot AND (hot OR was_hot IS NOT NULL);
                """, "--explain");
        assertThat(exit).as(err.toString()).isEqualTo(Cli.OK);
        assertThat(out.toString()).contains("-- ").contains("OverAggregate").contains("Sink(table=[default_catalog.default_database.commands]");
    }

    @Test
    void aSqlErrorNamesTheFileAndTheStatementsLine() throws Exception {
        int exit = sql(TABLES + "\nINSERT INTO commands SELECT nope FROM readings;\n", "--explain");
        assertThat(exit).isEqualTo(Cli.USAGE);
        assertThat(err.toString()).contains("script.sql:8: ").contains("nope");
    }

    @Test
    void anUnknownOptionIsRefusedNamingIt() throws Exception {
        int exit = sql("CREATE TABLE t (a STRING) WITH ('connector' = 'datagen', 'no-such-option' = '1');\n"
                + "CREATE TABLE s (a STRING) WITH ('connector' = 'blackhole');\nINSERT INTO s SELECT a FROM t;\n",
                "--explain");
        assertThat(exit).isEqualTo(Cli.USAGE);
        assertThat(err.toString()).contains("script.sql:3: ").contains("no-such-option");
    }

    @Test
    void aMisspeltMqttOptionIsRefusedNamingItWithThePasswordMasked() throws Exception {
        int exit = sql("""
                CREATE TABLE readings (sensor STRING) WITH ('connector' = 'mqtt', 'servers' = 'tcp://127.0.0.1:1883',
                  'client-id-prefix' = 'test', 'tpoics' = 'a/b', 'username' = 'u', 'password' = 'supersecret',
                  'format' = 'json');
                CREATE TABLE s (sensor STRING) WITH ('connector' = 'blackhole');
                INSERT INTO s SELECT sensor FROM readings;
                """, "--explain");
        assertThat(exit).isEqualTo(Cli.USAGE);
        assertThat(err.toString()).contains("script.sql:5: ", "Unsupported options found for 'mqtt'", "tpoics",
                "'password'='******'").doesNotContain("supersecret");
    }

    @Test
    void aSelectPrintsItsRows() throws Exception {
        int exit = sql("SELECT x * 2 FROM (VALUES (1), (2), (3)) AS t(x);\n");
        assertThat(exit).as(err.toString()).isEqualTo(Cli.OK);
        assertThat(out.toString().lines().toList()).containsExactly("2", "4", "6");
    }

    @Test
    void aMissingFileIsAUsageError() throws Exception {
        int exit = WindroseCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), "sql",
                dir.resolve("nope.sql").toString());
        assertThat(exit).isEqualTo(Cli.USAGE);
        assertThat(err.toString()).contains("nope.sql: no such file");
    }
}
