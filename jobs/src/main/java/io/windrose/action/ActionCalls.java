package io.windrose.action;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.windrose.action.state.MqttCommand;
import io.windrose.action.state.WebhookCall;
import io.windrose.avro.AvroTrees;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.AlertState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

/** What a rule's actions make of one alert change: MQTT commands and webhook calls, on side outputs. */
public final class ActionCalls {
    /** MQTT commands to devices. */
    public static final OutputTag<MqttCommand> MQTT = new OutputTag<>("mqtt-commands", new AvroTypeInfo<>(MqttCommand.class));
    /** Webhook calls. */
    public static final OutputTag<WebhookCall> WEBHOOK = new OutputTag<>("webhook-calls", new AvroTypeInfo<>(WebhookCall.class));
    private static final ObjectMapper JSON = new ObjectMapper();

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
