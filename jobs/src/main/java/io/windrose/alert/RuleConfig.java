package io.windrose.alert;

import io.windrose.config.ConfigCheck;
import io.windrose.config.ConfigSection;
import java.io.Serializable;

/** One item of the {@code rules} list: RAISED when the field goes above (or below) the threshold, CLEARED when it comes back. */
public final class RuleConfig implements ConfigSection, Serializable {
    private static final long serialVersionUID = 1L;
    public String name;
    public String field;
    public Double above;
    public Double below;
    public String level = "warning";

    public ThresholdRule toRule() {
        return above != null
                ? new ThresholdRule(name, field, ThresholdRule.Direction.ABOVE, above, level)
                : new ThresholdRule(name, field, ThresholdRule.Direction.BELOW, below, level);
    }

    @Override
    public void validate(ConfigCheck check) {
        check.notBlank(name, "name", "expected a rule name");
        check.notBlank(field, "field", "expected the field the rule watches, e.g. temperature");
        check.require((above == null) != (below == null), "", "expected exactly one of 'above' or 'below' with the threshold");
        check.notBlank(level, "level", "expected a level such as warning or critical");
    }
}
