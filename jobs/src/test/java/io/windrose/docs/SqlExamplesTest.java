package io.windrose.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.cli.Cli;
import io.windrose.docs.UserDocs.Block;
import io.windrose.sql.SqlCommand;
import io.windrose.sql.SqlScript;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Every {@code ```sql} block of the user docs (not {@code ```sql influxql}) is a script that {@code windrose sql --explain} plans: parsed, every
 * table's options and format checked by its factory, every INSERT planned (nothing connects); the SQL page shows the
 * example {@code local-cluster/examples/fan.sql} as it is, and the example plans too (its option tables:
 * {@link OptionTablesTest}).
 */
class SqlExamplesTest {
    private static final Path FAN = UserDocs.ROOT.resolve("local-cluster/examples/fan.sql");
    private static final Path PAGE = UserDocs.ROOT.resolve("docs/sql.md");
    /** What the examples take from the environment (secrets stay out of the docs). */
    private static final Map<String, String> ENVIRONMENT = Map.of("MQTT_PASSWORD", "secret", "INFLUX_TOKEN", "token");

    private static List<Block> sqlBlocks() {
        // ```sql influxql: InfluxQL for the influx CLI, not Flink SQL
        return UserDocs.blocks().stream().filter(block -> block.language().equals("sql") && block.kind().isEmpty())
                .toList();
    }

    @Test
    void everySqlBlockOfTheDocsPlans() throws Exception {
        List<Block> blocks = sqlBlocks();
        assertThat(blocks).as("SQL examples in the docs").hasSizeGreaterThanOrEqualTo(4);
        SoftAssertions soft = new SoftAssertions();
        for (Block block : blocks) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            SqlScript script = SqlScript.parse(block.where(), block.text(), ENVIRONMENT::get);
            int exit = SqlCommand.explain(script, new PrintWriter(out, true), new PrintWriter(err, true));
            soft.assertThat(exit).as(block.where() + ": " + err).isEqualTo(Cli.OK);
        }
        soft.assertAll();
    }

    @Test
    void theSqlPageShowsTheFanExampleAsItIs() throws Exception {
        String fan = Files.readString(FAN);
        assertThat(sqlBlocks()).as("docs/sql.md shows " + FAN).anyMatch(block -> block.file().endsWith("docs/sql.md")
                && block.text().strip().equals(fan.strip()));
    }

    @Test
    void theMisspeltOptionShownIsWhatWindroseSqlSays() throws Exception {
        Block shown = UserDocs.blocks(PAGE).stream().filter(block -> block.language().equals("text")
                && block.text().startsWith("windrose sql: ")).findFirst().orElseThrow();
        String misspelt = Files.readString(FAN).replace("'topics' =", "'tpoics' =");
        StringWriter err = new StringWriter();
        int exit = SqlCommand.explain(SqlScript.parse("local-cluster/examples/fan.sql", misspelt, name -> null),
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(exit).isEqualTo(Cli.USAGE);
        assertThat(err.toString().lines().findFirst()).as(shown.where()).contains(shown.text().lines().findFirst().get());
        assertThat(err.toString()).contains("caused by: Unsupported options found for 'mqtt'.", "\ntpoics\n");
    }

    @Test
    void theFanExamplePlansIntoOneJob() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        SqlScript script = SqlScript.read(FAN, name -> null);
        assertThat(SqlCommand.explain(script, new PrintWriter(out, true), new PrintWriter(err, true)))
                .as(err.toString()).isEqualTo(Cli.OK);
        assertThat(script.statements()).filteredOn(s -> s.text().startsWith("EXECUTE STATEMENT SET")).hasSize(1);
        assertThat(out.toString()).contains("default_catalog.default_database.sensors_1m",
                "default_catalog.default_database.fan_commands");
        String execution = out.toString().substring(out.toString().indexOf("== Optimized Execution Plan =="));
        assertThat(execution.split("TableSourceScan\\(table=\\[\\[default_catalog, default_database, readings").length - 1)
                .as("one MQTT subscription for both INSERTs (one client id)\n" + execution).isOne();
    }
}
