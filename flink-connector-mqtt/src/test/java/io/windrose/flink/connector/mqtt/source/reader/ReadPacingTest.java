package io.windrose.flink.connector.mqtt.source.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReadPacingTest {

    @Test
    void aSmallReadPausesReadingForThePauseThenReadingResumes() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        ReadPacing.install(channel, Duration.ofMillis(1));
        ReadPacing.install(channel, Duration.ofMillis(1));
        assertThat(channel.pipeline().names().stream().filter(ReadPacing.NAME::equals)).hasSize(1);

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[120])); // one PUBLISH: a read and its read-complete
        assertThat(channel.config().isAutoRead()).isFalse();
        assertThat((Object) channel.readInbound()).as("the bytes still go on to the client").isNotNull();

        channel.advanceTimeBy(999, TimeUnit.MICROSECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.config().isAutoRead()).isFalse();
        channel.advanceTimeBy(1, TimeUnit.MICROSECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void aLargeReadDoesNotPause() {
        EmbeddedChannel channel = new EmbeddedChannel();
        ReadPacing.install(channel, Duration.ofMillis(1));
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[ReadPacing.SMALL_READ_BYTES]));
        assertThat(channel.config().isAutoRead()).isTrue();
    }
}
