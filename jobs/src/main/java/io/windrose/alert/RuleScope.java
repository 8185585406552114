package io.windrose.alert;

import java.io.Serializable;
import java.util.Map;
import java.util.regex.Pattern;

/** Which sensors a rule applies to: tag values ({@code where}) and a sensor id glob ({@code sensors}). */
final class RuleScope implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, String> where;
    private final Pattern sensors;

    RuleScope(Map<String, String> where, String sensorGlob) {
        this.where = Map.copyOf(where);
        this.sensors = sensorGlob == null ? null : glob(sensorGlob);
    }

    boolean includes(String sensorId, Map<String, String> tags) {
        if (sensors != null && !sensors.matcher(sensorId).matches()) {
            return false;
        }
        for (Map.Entry<String, String> condition : where.entrySet()) {
            if (!condition.getValue().equals(tags.get(condition.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString());
    }
}
