package io.windrose.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.windrose.sql.SqlScript.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlScriptTest {
    private static SqlScript parse(String text, Map<String, String> environment) {
        return SqlScript.parse("test.sql", text, environment::get);
    }

    @Test
    void splitsOnSemicolonsOutsideQuotesIdentifiersAndComments() {
        SqlScript script = parse("""
                -- a comment; not a statement
                SET 'pipeline.name' = 'a;b';
                /* a block; comment
                   over lines */
                CREATE TABLE `x;y` (a STRING, "b;c" INT) WITH ('connector' = 'datagen');

                INSERT INTO t SELECT 'it''s; fine' FROM s -- trailing; comment
                """, Map.of());
        assertThat(script.statements()).extracting(Statement::line).containsExactly(2, 5, 7);
        assertThat(script.statements()).extracting(Statement::text).containsExactly(
                "SET 'pipeline.name' = 'a;b'",
                "CREATE TABLE `x;y` (a STRING, \"b;c\" INT) WITH ('connector' = 'datagen')",
                "INSERT INTO t SELECT 'it''s; fine' FROM s");
        assertThat(script.settings()).containsExactly(Map.entry("pipeline.name", "a;b"));
        assertThat(script.statements().get(0).isSet()).isTrue();
        assertThat(script.statements().get(1).isSet()).isFalse();
    }

    @Test
    void aStatementSetIsOneStatementUpToItsEnd() {
        SqlScript script = parse("""
                EXECUTE STATEMENT SET
                BEGIN
                  INSERT INTO a SELECT * FROM s;
                  INSERT INTO b SELECT * FROM s;
                END;
                SELECT 1;
                """, Map.of());
        assertThat(script.statements()).hasSize(2);
        Statement set = script.statements().get(0);
        assertThat(set.text()).startsWith("EXECUTE STATEMENT SET").endsWith("END")
                .contains("INSERT INTO a SELECT * FROM s;").contains("INSERT INTO b SELECT * FROM s;");
        assertThat(set.startsJob()).isTrue();
        assertThat(set.explain()).startsWith("EXPLAIN STATEMENT SET");
        assertThat(script.statements().get(1).line()).isEqualTo(6);
    }

    @Test
    void environmentVariablesInLiteralsWithDefaultsAndQuotesDoubled() {
        SqlScript script = parse("CREATE TABLE t (a STRING) WITH ('servers' = '${MQTT_URL:-tcp://127.0.0.1:1883}',"
                + " 'password' = '${SECRET}', 'x' = '${UNSET:-d}');", Map.of("SECRET", "it's", "MQTT_URL", "tcp://h:1"));
        assertThat(script.statements().get(0).text()).isEqualTo(
                "CREATE TABLE t (a STRING) WITH ('servers' = 'tcp://h:1', 'password' = 'it''s', 'x' = 'd')");
    }

    @Test
    void anUnsetVariableWithoutDefaultNamesFileLineAndVariable() {
        assertThatThrownBy(() -> parse("SET 'a' = 'b';\n\nSET 'token' = '${INFLUX_TOKEN}';", Map.of()))
                .isInstanceOf(SqlScriptException.class)
                .hasMessage("test.sql:3: environment variable INFLUX_TOKEN is not set (write ${INFLUX_TOKEN:-default}"
                        + " for a default)");
    }

    @Test
    void anUnclosedQuoteNamesItsLine() {
        assertThatThrownBy(() -> parse("SET 'a' = 'b';\nSELECT 'oops;\n", Map.of()))
                .hasMessage("test.sql:2: a ' is not closed");
    }

    @Test
    void kindsOfStatements() {
        SqlScript script = parse("create table t (a int);\ninsert into t values (1);\nset 'a' = 'b';\n"
                + "select * from t;\nexecute insert into t values (2)", Map.of());
        assertThat(script.statements()).extracting(Statement::startsJob).containsExactly(false, true, false, true, true);
        assertThat(script.statements().get(4).explain()).isEqualTo("EXPLAIN insert into t values (2)");
    }
}
