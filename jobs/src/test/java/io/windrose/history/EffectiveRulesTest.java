package io.windrose.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.windrose.alert.AlertRule;
import io.windrose.alert.RuleBook;
import io.windrose.alert.RuleConfig;
import io.windrose.config.ConfigFileLoader;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules in effect from the file's rules and a status record's {@code effective} object, without Kafka. */
class EffectiveRulesTest {
    private static List<RuleConfig> fileRules() throws Exception {
        return List.of(ConfigFileLoader.mapper().readValue("""
                - {name: too-hot, field: temperature, above: 30}
                - {name: too-cold, field: temperature, below: 2}
                - {name: silent, after: 5m}
                """, RuleConfig[].class));
    }

    @Test
    void withoutARecordTheFilesRules() throws Exception {
        EffectiveRules.Effective effective = EffectiveRules.of(fileRules(), null, "m", "file");
        assertThat(effective.book().effective(List.of())).extracting(AlertRule::name)
                .containsExactly("too-hot", "too-cold", "silent");
    }

    @Test
    void theRecordChangesDeletesAndAddsAsTheJobsRuleBookDoes() throws Exception {
        // too-hot changed at runtime, too-cold deleted, humid added
        JsonNode status = ConfigFileLoader.mapper().readTree("""
                too-hot: {name: too-hot, field: temperature, above: 35}
                silent: {name: silent, after: 5m}
                humid: {name: humid, field: humidity, above: 80}
                """);
        EffectiveRules.Effective effective = EffectiveRules.of(fileRules(), status, "m", "job");
        assertThat(effective.rules().keySet()).containsExactly("too-hot", "silent", "humid");
        assertThat(effective.rules().get("too-hot").above.toString()).isEqualTo("35.0");
        List<Map.Entry<String, String>> topic = List.of(
                new SimpleImmutableEntry<>("too-cold", RuleBook.DELETED),
                new SimpleImmutableEntry<>("too-hot", status.get("too-hot").toString()),
                new SimpleImmutableEntry<>("silent", status.get("silent").toString()),
                new SimpleImmutableEntry<>("humid", status.get("humid").toString()));
        List<String> job = new RuleBook(fileRules(), "m").effective(topic).stream().map(AlertRule::name).toList();
        assertThat(effective.book().effective(List.of())).extracting(AlertRule::name).containsExactlyElementsOf(job);
        // the same rules, as the job's book shows them (it keeps a runtime rule's JSON as sent, a seed's as bound)
        Map<String, JsonNode> jobJson = new RuleBook(fileRules(), "m").effectiveJson(topic);
        effective.book().effectiveJson(List.of()).forEach((name, json) -> assertThat(json)
                .isEqualTo(ConfigFileLoader.mapper().copy().setSerializationInclusion(
                        com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY).valueToTree(RuleBook.check(
                                new io.windrose.alert.state.RuleUpdate(name, jobJson.get(name).toString(), -1L, null)))));
    }
}
