package io.windrose.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DeadLetterLogTest {
    @Test
    void theFirstOfEachReasonAtOnceThenOneLinePerIntervalWithTheCount() {
        AtomicLong now = new AtomicLong(1_000_000);
        DeadLetterLog log = new DeadLetterLog(60_000, now::get);
        assertThat(log.record(DeadLetterReason.MALFORMED, "a/b", "route r: not valid JSON")).contains("the first")
                .contains("not valid JSON").contains("a/b");
        assertThat(log.record(DeadLetterReason.NO_FIELDS, "a/c", "route r: no numeric field")).contains("NO_FIELDS");
        now.addAndGet(10_000);
        for (int i = 0; i < 41; i++) {
            assertThat(log.record(DeadLetterReason.MALFORMED, "a/b", "route r: bad " + i)).isNull();
        }
        now.addAndGet(50_000);
        assertThat(log.record(DeadLetterReason.MALFORMED, "a/d", "route r: bad 42"))
                .isEqualTo("Dead letters MALFORMED: 42 in the last 60 s, the latest: route r: bad 42 — topic a/d");
    }
}
