package io.windrose.action;

import io.windrose.action.state.MqttCommand;
import io.windrose.mqtt.MqttSourceConfig;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Publishes MQTT commands through the broker of the {@code mqtt} section (its servers, protocol version, TLS and
 * credentials) under its own client id per writer. At-least-once: every publish is awaited (QoS 1/2 acknowledged) at
 * each checkpoint, so a command whose alert change a completed checkpoint covers is never sent again; after a failure
 * the changes since the last checkpoint are made again and their commands may go out a second time (commands are
 * idempotent "set" payloads). See {@link MqttCommandWriter}.
 */
public final class MqttCommandSink implements Sink<MqttCommand> {
    private static final long serialVersionUID = 1L;

    private final MqttSourceConfig connection;
    private final ActionsConfig.Mqtt settings;

    public MqttCommandSink(MqttSourceConfig connection, ActionsConfig.Mqtt settings) {
        this.connection = connection;
        this.settings = settings;
    }

    @Override
    public SinkWriter<MqttCommand> createWriter(WriterInitContext context) {
        String prefix = settings.clientIdPrefix != null ? settings.clientIdPrefix : connection.clientIdPrefix + "-commands";
        return new MqttCommandWriter(connection, settings, prefix + "-" + context.getTaskInfo().getIndexOfThisSubtask(),
                context.metricGroup());
    }
}
