package io.windrose.decode.sparkplug;

import io.windrose.deadletter.DeadLetterReason;
import io.windrose.decode.sparkplug.state.SparkplugDeviceState;
import io.windrose.decode.sparkplug.state.SparkplugNodeState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a host application knows of one edge node: its birth certificate and bdSeq, its devices' births, which are
 * online, the last seq, and whether its data is trusted (not after a sequence gap or an unknown alias, until the
 * next NBIRTH). Mutable; {@link #toAvro()} and {@link #fromAvro} carry it in keyed state.
 */
public final class NodeSession {
    boolean online;
    Long bdSeq;
    int lastSeq = -1;
    DeadLetterReason staleReason;
    String staleDetail;
    long lastRebirthRequest = Long.MIN_VALUE;
    BirthCertificate birth = BirthCertificate.EMPTY;
    final Map<String, Device> devices = new LinkedHashMap<>();

    /** A device of the node. */
    static final class Device {
        boolean online;
        BirthCertificate birth = BirthCertificate.EMPTY;
    }

    /** A node never heard of. */
    public NodeSession() {}

    public boolean online() {
        return online;
    }

    /** The current NBIRTH's bdSeq, or null. */
    public Long bdSeq() {
        return bdSeq;
    }

    /** The seq of the node's last message (0..255), or -1. */
    public int lastSeq() {
        return lastSeq;
    }

    /** Why the node's data waits for a rebirth, or null while it is trusted. */
    public DeadLetterReason staleReason() {
        return staleReason;
    }

    public BirthCertificate nodeBirth() {
        return birth;
    }

    /** The device's birth certificate, or null if no DBIRTH of it is known. */
    public BirthCertificate deviceBirth(String device) {
        Device d = devices.get(device);
        return d == null ? null : d.birth;
    }

    public boolean deviceOnline(String device) {
        Device d = devices.get(device);
        return d != null && d.online;
    }

    /** The devices that are online, in the order they were born. */
    public List<String> onlineDevices() {
        List<String> out = new ArrayList<>();
        devices.forEach((id, d) -> {
            if (d.online) {
                out.add(id);
            }
        });
        return out;
    }

    public int deviceCount() {
        return devices.size();
    }

    /** The state record of this session. */
    public SparkplugNodeState toAvro() {
        Map<String, SparkplugDeviceState> devs = new HashMap<>();
        devices.forEach((id, d) -> devs.put(id, new SparkplugDeviceState(d.online, d.birth.toAvro())));
        return SparkplugNodeState.newBuilder()
                .setOnline(online)
                .setBdSeq(bdSeq)
                .setLastSeq(lastSeq)
                .setStaleReason(staleReason == null ? null : staleReason.name())
                .setStaleDetail(staleDetail)
                .setLastRebirthRequest(lastRebirthRequest)
                .setMetrics(birth.toAvro())
                .setDevices(devs)
                .build();
    }

    /** The session a state record holds (null: a node never heard of). */
    public static NodeSession fromAvro(SparkplugNodeState state) {
        NodeSession s = new NodeSession();
        if (state == null) {
            return s;
        }
        s.online = state.getOnline();
        s.bdSeq = state.getBdSeq();
        s.lastSeq = state.getLastSeq();
        s.staleReason = parseReason(state.getStaleReason());
        s.staleDetail = state.getStaleDetail();
        s.lastRebirthRequest = state.getLastRebirthRequest();
        s.birth = BirthCertificate.fromAvro(state.getMetrics());
        // Avro maps keep no order; devices are listed by id so that a restored session reports them stably
        state.getDevices().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> {
                    Device d = new Device();
                    d.online = e.getValue().getOnline();
                    d.birth = BirthCertificate.fromAvro(e.getValue().getMetrics());
                    s.devices.put(e.getKey(), d);
                });
        return s;
    }

    private static DeadLetterReason parseReason(String name) {
        if (name == null) {
            return null;
        }
        try {
            return DeadLetterReason.valueOf(name);
        } catch (IllegalArgumentException e) {
            // a reason a later version wrote: still stale, with the most general reason
            return DeadLetterReason.SPARKPLUG_UNKNOWN_ALIAS;
        }
    }
}
