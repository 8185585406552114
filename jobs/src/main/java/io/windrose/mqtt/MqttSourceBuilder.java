package io.windrose.mqtt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Builds an {@link MqttSource}. */
public final class MqttSourceBuilder {
    private List<String> servers = List.of("tcp://127.0.0.1:1883");
    private String clientIdPrefix = "windrose";
    private String username;
    private String password;
    private int qos = 1;
    private Duration keepAlive = Duration.ofSeconds(30);
    private final List<String> topicFilters = new ArrayList<>();
    private String sharedGroup = "windrose";
    private int queueCapacity = 10_000;

    MqttSourceBuilder() {}

    /** Server URIs (tcp://host:port or ssl://host:port), tried in turn when a connection fails. */
    public MqttSourceBuilder setServers(List<String> servers) {
        this.servers = List.copyOf(servers);
        return this;
    }

    /** Each reader connects as {@code <prefix>-<subtask index>}, stable across restarts. */
    public MqttSourceBuilder setClientIdPrefix(String clientIdPrefix) {
        this.clientIdPrefix = Objects.requireNonNull(clientIdPrefix);
        return this;
    }

    public MqttSourceBuilder setCredentials(String username, String password) {
        this.username = username;
        this.password = password;
        return this;
    }

    public MqttSourceBuilder setQos(int qos) {
        this.qos = qos;
        return this;
    }

    public MqttSourceBuilder setKeepAlive(Duration keepAlive) {
        this.keepAlive = keepAlive;
        return this;
    }

    public MqttSourceBuilder addTopicFilters(List<String> filters) {
        this.topicFilters.addAll(filters);
        return this;
    }

    /** Shared-subscription group ({@code $share/<group>/<filter>}) used when the source's parallelism is above 1. */
    public MqttSourceBuilder setSharedGroup(String sharedGroup) {
        this.sharedGroup = sharedGroup;
        return this;
    }

    /** Messages held between the MQTT client and Flink per reader; when full, the client stops reading the socket. */
    public MqttSourceBuilder setQueueCapacity(int queueCapacity) {
        this.queueCapacity = queueCapacity;
        return this;
    }

    public MqttSource build() {
        if (topicFilters.isEmpty()) {
            throw new IllegalArgumentException("an MQTT source needs at least one topic filter");
        }
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("an MQTT source needs at least one server");
        }
        return new MqttSource(new MqttConnectionOptions(servers, clientIdPrefix, username, password, qos, keepAlive,
                topicFilters, sharedGroup, queueCapacity));
    }
}
