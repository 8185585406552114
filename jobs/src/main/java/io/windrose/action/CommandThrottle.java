package io.windrose.action;

import io.windrose.action.state.MqttCommand;
import io.windrose.flink.connector.mqtt.common.TopicFilter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per command topic (a device): drops commands for alerts older than their expiry (replays, backfills and late data
 * never switch a device), and sends at most one command per {@code min-interval} — a command that comes sooner waits
 * in state for the interval's end, and a later one replaces it (the device ends in the latest state; each replaced
 * command counts as suppressed). Keyed by {@link #key}; the waiting command and the time of the last one are
 * checkpointed.
 * Metrics {@code commands.suppressed} (expired, replaced or with an invalid topic).
 */
public final class CommandThrottle extends KeyedProcessFunction<String, MqttCommand, MqttCommand> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CommandThrottle.class);

    private final long minIntervalMs;
    private transient ValueState<Long> lastSent;
    private transient ValueState<MqttCommand> waiting;
    private transient Counter suppressed;

    public CommandThrottle(long minIntervalMs) {
        this.minIntervalMs = minIntervalMs;
    }

    /**
     * What one command replaces a waiting one of: a text command its topic's (a device's switch); a Sparkplug B
     * command (binary) only one to the same metric of its NCMD/DCMD topic, which stands for a whole node or device
     * (a rebirth request: its own), so that writes to two metrics of a device never replace each other.
     */
    public static String key(MqttCommand command) {
        if (command.getBinary() == null) {
            return command.getTopic();
        }
        String payload = command.getPayload();
        int equals = payload.indexOf('=');
        return command.getTopic() + '\u0000' + (equals < 0 ? payload : payload.substring(0, equals));
    }

    @Override
    public void open(OpenContext openContext) {
        lastSent = getRuntimeContext().getState(new ValueStateDescriptor<>("last-command-at", Types.LONG));
        waiting = getRuntimeContext().getState(new ValueStateDescriptor<>("waiting-command",
                new AvroTypeInfo<>(MqttCommand.class)));
        suppressed = getRuntimeContext().getMetricGroup().addGroup("commands").counter("suppressed");
    }

    @Override
    public void processElement(MqttCommand command, Context ctx, Collector<MqttCommand> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        if (now - command.getEventTime() > command.getExpirySeconds() * 1000) {
            suppressed.inc();
            LOG.info("Not sending {} to {} (rule {}, sensor {}): its alert is {} s old, beyond its expiry of {} s",
                    command.getPayload(), command.getTopic(), command.getRule(), command.getSensorId(),
                    (now - command.getEventTime()) / 1000, command.getExpirySeconds());
            return;
        }
        try {
            TopicFilter.checkTopicName(command.getTopic());
        } catch (IllegalArgumentException e) {
            suppressed.inc();
            LOG.warn("Not sending to '{}' (rule {}, sensor {}): not a topic to publish to ({})", command.getTopic(),
                    command.getRule(), command.getSensorId(), e.getMessage());
            return;
        }
        Long last = lastSent.value();
        if (last == null || now - last >= minIntervalMs) {
            send(command, now, out);
            return;
        }
        if (waiting.value() != null) {
            suppressed.inc(); // replaced by this later one
        } else {
            ctx.timerService().registerProcessingTimeTimer(last + minIntervalMs);
        }
        waiting.update(command);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MqttCommand> out) throws Exception {
        MqttCommand command = waiting.value();
        if (command != null) {
            waiting.clear();
            send(command, ctx.timerService().currentProcessingTime(), out);
        }
    }

    private void send(MqttCommand command, long now, Collector<MqttCommand> out) throws Exception {
        lastSent.update(now);
        out.collect(command);
    }
}
