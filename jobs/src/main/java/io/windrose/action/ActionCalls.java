package io.windrose.action;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.windrose.action.state.AlertmanagerAlert;
import io.windrose.action.state.MqttCommand;
import io.windrose.action.state.SparkplugWrite;
import io.windrose.action.state.WebhookCall;
import io.windrose.avro.AvroTrees;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.AlertState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a rule's actions make of one alert change: MQTT commands, webhook calls, Alertmanager alerts and Sparkplug B
 * writes, on side outputs.
 */
public final class ActionCalls {
    /** MQTT commands to devices. */
    public static final OutputTag<MqttCommand> MQTT = new OutputTag<>("mqtt-commands", new AvroTypeInfo<>(MqttCommand.class));
    /** Webhook calls. */
    public static final OutputTag<WebhookCall> WEBHOOK = new OutputTag<>("webhook-calls", new AvroTypeInfo<>(WebhookCall.class));
    /** Alertmanager alerts (to the notifier that resends them while raised). */
    public static final OutputTag<AlertmanagerAlert> ALERTMANAGER = new OutputTag<>("alertmanager-alerts",
            new AvroTypeInfo<>(AlertmanagerAlert.class));
    /** Sparkplug B metric writes (to the stage that knows the births' aliases and datatypes). */
    public static final OutputTag<SparkplugWrite> SPARKPLUG = new OutputTag<>("sparkplug-writes",
            new AvroTypeInfo<>(SparkplugWrite.class));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(ActionCalls.class);

    private ActionCalls() {}

    /**
     * The MQTT commands of {@code actions} for {@code event}: the raised payload on RAISED (also a level change), the
     * cleared one on CLEARED (none when not configured).
     *
     * @param values the placeholders of the topic and payload templates
     */
    public static List<MqttCommand> commands(List<ActionConfig> actions, AlertEvent event, Function<String, String> values) {
        List<MqttCommand> commands = new ArrayList<>();
        for (ActionConfig action : actions) {
            if (action.mqtt == null) {
                continue;
            }
            String payload = event.getState() == AlertState.RAISED ? action.mqtt.raised : action.mqtt.cleared;
            if (payload == null) {
                continue;
            }
            commands.add(MqttCommand.newBuilder()
                    .setTopic(Templates.fill(action.mqtt.topic, values))
                    .setPayload(Templates.fill(payload, values))
                    .setQos(action.mqtt.qos)
                    .setRetain(action.mqtt.retain)
                    .setExpirySeconds(action.mqtt.expiry.toSeconds())
                    .setEventTime(event.getEventTime().toEpochMilli())
                    .setRule(event.getRule())
                    .setSensorId(event.getSensorId())
                    .build());
        }
        return commands;
    }

    /** The webhook calls of {@code actions} for {@code event}: its JSON as body. */
    public static List<WebhookCall> webhooks(List<ActionConfig> actions, AlertEvent event) {
        List<WebhookCall> calls = new ArrayList<>();
        for (ActionConfig action : actions) {
            if (action.webhook != null) {
                calls.add(WebhookCall.newBuilder().setUrl(action.webhook.url).setBody(json(event))
                        .setEventTime(event.getEventTime().toEpochMilli()).setRule(event.getRule())
                        .setSensorId(event.getSensorId()).build());
            }
        }
        return calls;
    }

    /**
     * The Alertmanager alerts of {@code actions} for {@code event}: labels alertname (the rule), sensor and level over
     * the action's labels, the tags as labels beneath (the notifier puts the default labels between); the action's
     * annotations filled in, and {@code message} the event's unless the action has one.
     */
    public static List<AlertmanagerAlert> alertmanager(List<ActionConfig> actions, AlertEvent event,
            Function<String, String> values) {
        List<AlertmanagerAlert> alerts = new ArrayList<>();
        for (int i = 0; i < actions.size(); i++) {
            ActionConfig.Alertmanager action = actions.get(i).alertmanager;
            if (action == null) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>(action.labels);
            labels.put("alertname", event.getRule());
            labels.put("sensor", event.getSensorId());
            labels.put("level", event.getLevel());
            Map<String, String> annotations = new TreeMap<>();
            if (event.getMessage() != null) {
                annotations.put("message", event.getMessage());
            }
            action.annotations.forEach((name, template) -> annotations.put(name, Templates.fill(template, values)));
            boolean raised = event.getState() == AlertState.RAISED;
            long time = event.getEventTime().toEpochMilli();
            boolean levelChange = raised && event.getPreviousLevel() != null;
            long startsAt = levelChange || event.getStartedAt() == null ? time : event.getStartedAt().toEpochMilli();
            alerts.add(AlertmanagerAlert.newBuilder()
                    .setKey(event.getRule() + "\u0000" + event.getSensorId() + "\u0000" + i)
                    .setRaised(raised)
                    .setUrls(List.copyOf(action.url))
                    .setTags(AlertmanagerLabels.fromTags(event.getTags()))
                    .setLabels(labels)
                    .setAnnotations(annotations)
                    .setStartsAt(startsAt)
                    .setEndsAt(raised ? null : Math.max(time, startsAt))
                    .setEventTime(time)
                    .setRule(event.getRule())
                    .setSensorId(event.getSensorId())
                    .setMeasurement(event.getMeasurement())
                    .setField(event.getField())
                    .build());
        }
        return alerts;
    }

    /**
     * The Sparkplug B writes of {@code actions} for {@code event}: the raised value on RAISED (also a level change), the
     * cleared one on CLEARED, to the device (or edge node) its tags {@code group}, {@code edge_node}, {@code device}
     * name; none for an event without them (logged: the rule watches sensors that are not Sparkplug devices).
     */
    public static List<SparkplugWrite> sparkplug(List<ActionConfig> actions, AlertEvent event) {
        List<SparkplugWrite> writes = new ArrayList<>();
        for (ActionConfig action : actions) {
            if (action.sparkplug == null) {
                continue;
            }
            Object value = event.getState() == AlertState.RAISED ? action.sparkplug.raised : action.sparkplug.cleared;
            if (value == null) {
                continue;
            }
            String group = event.getTags().get("group");
            String edgeNode = event.getTags().get("edge_node");
            if (group == null || edgeNode == null) {
                LOG.warn("Rule {}: no Sparkplug write for sensor {}: its readings have no group and edge_node tags (not"
                        + " from a sparkplug-b route)", event.getRule(), event.getSensorId());
                continue;
            }
            writes.add(SparkplugWrite.newBuilder()
                    .setGroup(group)
                    .setEdgeNode(edgeNode)
                    .setDevice(event.getTags().get("device"))
                    .setMetric(action.sparkplug.metric)
                    .setValue(String.valueOf(value))
                    .setValueType(value instanceof Boolean ? "boolean" : value instanceof Number ? "number" : "text")
                    .setExpirySeconds(action.sparkplug.expiry.toSeconds())
                    .setEventTime(event.getEventTime().toEpochMilli())
                    .setRule(event.getRule())
                    .setSensorId(event.getSensorId())
                    .build());
        }
        return writes;
    }

    /** Sends the calls of {@code actions} for {@code event} to their side outputs. */
    public static void emit(List<ActionConfig> actions, AlertEvent event, Function<String, String> values,
            BiConsumer<OutputTag<Object>, Object> output) {
        if (actions.isEmpty()) {
            return;
        }
        for (MqttCommand command : commands(actions, event, values)) {
            output.accept(untyped(MQTT), command);
        }
        for (WebhookCall call : webhooks(actions, event)) {
            output.accept(untyped(WEBHOOK), call);
        }
        for (AlertmanagerAlert alert : alertmanager(actions, event, values)) {
            output.accept(untyped(ALERTMANAGER), alert);
        }
        for (SparkplugWrite write : sparkplug(actions, event)) {
            output.accept(untyped(SPARKPLUG), write);
        }
    }

    @SuppressWarnings("unchecked")
    private static OutputTag<Object> untyped(OutputTag<?> tag) {
        return (OutputTag<Object>) tag;
    }

    static String json(AlertEvent event) {
        try {
            return JSON.writeValueAsString(AvroTrees.tree(event, true));
        } catch (Exception e) {
            throw new IllegalStateException("cannot write an alert event as JSON", e);
        }
    }
}
