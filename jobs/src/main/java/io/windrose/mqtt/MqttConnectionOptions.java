package io.windrose.mqtt;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** How readers connect and what they subscribe to. Built by {@link MqttSourceBuilder}. */
public final class MqttConnectionOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    final List<String> servers;
    final String clientIdPrefix;
    final String username;
    final String password;
    final int qos;
    final Duration keepAlive;
    final List<String> topicFilters;
    final String sharedGroup;
    final int queueCapacity;

    MqttConnectionOptions(List<String> servers, String clientIdPrefix, String username, String password, int qos,
            Duration keepAlive, List<String> topicFilters, String sharedGroup, int queueCapacity) {
        this.servers = List.copyOf(servers);
        this.clientIdPrefix = clientIdPrefix;
        this.username = username;
        this.password = password;
        this.qos = qos;
        this.keepAlive = keepAlive;
        this.topicFilters = List.copyOf(topicFilters);
        this.sharedGroup = sharedGroup;
        this.queueCapacity = queueCapacity;
    }

    public List<String> servers() {
        return servers;
    }

    public String clientIdPrefix() {
        return clientIdPrefix;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public int qos() {
        return qos;
    }

    public Duration keepAlive() {
        return keepAlive;
    }

    public List<String> topicFilters() {
        return topicFilters;
    }

    public String sharedGroup() {
        return sharedGroup;
    }

    public int queueCapacity() {
        return queueCapacity;
    }

    /** Server URI n (cycled): host and port, with ssl:// marking TLS. */
    public URI server(int attempt) {
        return URI.create(servers.get(Math.floorMod(attempt, servers.size())));
    }

    @Override
    public String toString() {
        // never prints the password
        return "MqttConnectionOptions{servers=" + servers + ", clientIdPrefix=" + clientIdPrefix + ", username=" + username
                + ", qos=" + qos + ", topicFilters=" + topicFilters + "}";
    }
}
