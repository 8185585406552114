package io.windrose.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.windrose.alert.state.RuleUpdate;
import io.windrose.config.ConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleBookTest {
    @Test
    void aSavedRuntimeRuleThisVersionRefusesIsLeftOutInsteadOfStoppingTheJob() throws Exception {
        RuleBook book = AlertHarness.rules("[{name: hot, field: temperature, above: 30}]");
        // accepted by an older version, which skipped explicit nulls; this one refuses them
        String old = "{\"name\":\"hot\",\"field\":\"temperature\",\"above\":40,\"level\":null}";
        assertThatThrownBy(() -> RuleBook.check(new RuleUpdate("hot", old, -1L, null))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("key 'level'");
        List<AlertRule> effective = book.effective(List.of(Map.entry("hot", old),
                Map.entry("humid", "{\"name\":\"humid\",\"field\":\"humidity\",\"above\":50}")));
        assertThat(effective).extracting(rule -> rule.name).containsExactly("hot", "humid");
        assertThat(book.started(List.of(Map.entry("hot", old)))).contains("\"status\":\"started\"")
                .contains("\"above\":30");
    }
}
