package io.windrose.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicTemplateTest {
    @Test
    void capturesLevelsAsTagsAndImpliesAFilter() {
        TopicTemplate template = TopicTemplate.parse("sensors/{site}/{sensor}");
        assertThat(template.toFilter()).isEqualTo("sensors/+/+");
        assertThat(template.match("sensors/site-a/s-1")).contains(Map.of("site", "site-a", "sensor", "s-1"));
        assertThat(template.match("sensors/site-a")).isEmpty();
        assertThat(template.match("sensors/site-a/s-1/extra")).isEmpty();
        assertThat(template.match("other/site-a/s-1")).isEmpty();
        assertThat(template.match("sensors//s-1")).isEmpty();
    }

    @Test
    void rejectsMalformedTemplates() {
        assertThatThrownBy(() -> TopicTemplate.parse("a/{b")).hasMessageContaining("'{b'");
        assertThatThrownBy(() -> TopicTemplate.parse("a/+/c")).hasMessageContaining("'+'");
        assertThatThrownBy(() -> TopicTemplate.parse("a/{x}/{x}")).hasMessageContaining("twice");
        assertThatThrownBy(() -> TopicTemplate.parse("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void routesWithExplicitFiltersMatchAsTheBrokerDoes() {
        assertThat(accepts("sensors/+/+", "sensors/a/b")).isTrue();
        assertThat(accepts("sensors/+/+", "sensors/a")).isFalse();
        assertThat(accepts("sensors/#", "sensors/a/b/c")).isTrue();
        assertThat(accepts("sensors/#", "sensors")).isTrue();
        assertThat(accepts("$share/g/sensors/+", "sensors/x")).isTrue();
        assertThat(accepts("a/b", "a/c")).isFalse();
    }

    private static boolean accepts(String filter, String topic) {
        return new Route("r", "r", java.util.List.of(filter), null, null, false).accept(topic).isPresent();
    }

    @Test
    void multiLevelCapturesTakeOneOrMoreLevels() {
        TopicTemplate tail = TopicTemplate.parse("plant/{line...}");
        assertThat(tail.toFilter()).isEqualTo("plant/#");
        assertThat(tail.match("plant/hall-1/line-4")).contains(Map.of("line", "hall-1/line-4"));
        assertThat(tail.match("plant/a")).contains(Map.of("line", "a"));
        assertThat(tail.match("plant")).isEmpty();

        TopicTemplate middle = TopicTemplate.parse("plant/{line…}/{sensor}/data");
        assertThat(middle.toFilter()).isEqualTo("plant/#");
        assertThat(middle.match("plant/h/l/m-1/data")).contains(Map.of("line", "h/l", "sensor", "m-1"));
        assertThat(middle.match("plant/h/m-1/data")).contains(Map.of("line", "h", "sensor", "m-1"));
        assertThat(middle.match("plant/m-1/data")).as("the capture needs a level").isEmpty();
        assertThat(middle.match("plant/h/m-1/other")).isEmpty();
        assertThat(middle.match("plant/h//m-1/data")).as("empty level").isEmpty();
        assertThatThrownBy(() -> TopicTemplate.parse("a/{x...}/{y...}")).hasMessageContaining("only one");
    }
}
