package io.windrose.pipeline;

import io.windrose.action.ActionConfig;
import io.windrose.action.ActionsConfig;
import io.windrose.alert.RuleConfig;
import io.windrose.alert.RuntimeRulesConfig;
import io.windrose.config.ConfigCheck;
import io.windrose.config.ConfigSection;
import io.windrose.config.MovedKey;
import io.windrose.decode.DecodeConfig;
import io.windrose.decode.PayloadFormat;
import io.windrose.decode.RouteConfig;
import io.windrose.dedup.DedupConfig;
import io.windrose.eventtime.EventTimeConfig;
import io.windrose.mqtt.MqttSourceConfig;
import io.windrose.sink.SinksConfig;
import io.windrose.window.WindowConfig;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The pipeline file: one section per stage, each owning its settings, defaults and validation (see the section
 * classes). Load it with {@link PipelineConfigLoader}. A key that moved to another section stops loading, naming its
 * new place.
 */
@MovedKey(from = "sinks.kafka.rules-topic", to = "runtime-rules.topic")
@MovedKey(from = "sinks.kafka.rules-status-topic", to = "runtime-rules.status-topic")
public final class PipelineConfig implements ConfigSection, Serializable {
    private static final long serialVersionUID = 2L;

    public JobConfig job = new JobConfig();
    public MqttSourceConfig mqtt = new MqttSourceConfig();
    public List<RouteConfig> routes = new ArrayList<>();
    public DecodeConfig decode = new DecodeConfig();
    public EventTimeConfig eventTime = new EventTimeConfig();
    public DedupConfig dedup = new DedupConfig();
    public WindowConfig window = new WindowConfig();
    public List<RuleConfig> rules = new ArrayList<>();
    public RuntimeRulesConfig runtimeRules = new RuntimeRulesConfig();
    public ActionsConfig actions = new ActionsConfig();
    public SinksConfig sinks = new SinksConfig();

    @Override
    public void validate(ConfigCheck check) {
        check.section("job", job);
        check.section("mqtt", mqtt);
        check.section("dedup", dedup);
        check.require(!routes.isEmpty(), "routes", "expected at least one route (name, topic-template, format)");
        check.each("routes", routes);
        unique(check, "routes", routes.stream().map(r -> r.name).toList(), "route");
        check.section("event-time", eventTime);
        check.section("decode", decode);
        check.section("window", window);
        check.each("rules", rules);
        unique(check, "rules", rules.stream().map(r -> r.name).toList(), "rule");
        check.section("runtime-rules", runtimeRules);
        check.section("actions", actions);
        check.section("sinks", sinks);
        alertmanagerUrls(check);
        sparkplugActions(check);
    }

    /** A sparkplug action writes to devices a sparkplug-b route has seen born: without such a route it could not. */
    private void sparkplugActions(ConfigCheck check) {
        boolean sparkplug = routes.stream().anyMatch(route -> route.format == PayloadFormat.SPARKPLUG_B);
        for (int i = 0; i < rules.size(); i++) {
            List<ActionConfig> ruleActions = rules.get(i).actions;
            for (int j = 0; j < ruleActions.size(); j++) {
                check.require(sparkplug || ruleActions.get(j).sparkplug == null, "rules[" + i + "].actions[" + j
                        + "].sparkplug", "expected a route with format: sparkplug-b (the action writes by the alias and"
                        + " datatype of the device's birth, which such a route reads)");
            }
        }
    }

    /** An alertmanager action needs a URL: its own or the actions.alertmanager section's. */
    private void alertmanagerUrls(ConfigCheck check) {
        for (int i = 0; i < rules.size(); i++) {
            List<ActionConfig> ruleActions = rules.get(i).actions;
            for (int j = 0; j < ruleActions.size(); j++) {
                ActionConfig.Alertmanager action = ruleActions.get(j).alertmanager;
                check.require(action == null || !action.url.isEmpty() || !actions.alertmanager.url.isEmpty(),
                        "rules[" + i + "].actions[" + j + "].alertmanager.url", "expected the Alertmanager's URL, e.g."
                                + " http://127.0.0.1:9093, here or for every rule in actions.alertmanager.url");
            }
        }
    }

    private static void unique(ConfigCheck check, String key, List<String> names, String what) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            check.require(seen.add(names.get(i)), key + "[" + i + "].name",
                    what + " name '" + names.get(i) + "' is used twice");
        }
    }
}
