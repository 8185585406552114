package io.windrose.flink.connector.mqtt.source.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AckFlushConsolidationTest {

    @Test
    void acksWrittenOutsideAReadLeaveInOneFlushAtTheEndOfTheEventLoopTurn() {
        FlushCounter socket = new FlushCounter();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast("socket", socket).addLast("encoder", new ChannelDuplexHandler());
        assertThat(AckFlushConsolidation.install(channel)).isTrue();
        assertThat(channel.pipeline().names()).containsSubsequence("socket", AckFlushConsolidation.NAME, "encoder");

        ChannelHandlerContext client = channel.pipeline().context("encoder");
        for (int i = 0; i < 100; i++) {
            client.writeAndFlush("PUBACK " + i); // as the client's QoS handler writes each ack
        }
        assertThat(socket.flushes).isZero();
        channel.runPendingTasks();
        assertThat(socket.flushes).isEqualTo(1);
        assertThat(socket.written).hasSize(100).startsWith("PUBACK 0").endsWith("PUBACK 99");
    }

    @Test
    void installsOnceAndNotWhereTheClientsEncoderIsMissing() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast("encoder", new ChannelDuplexHandler());
        assertThat(AckFlushConsolidation.install(channel)).isTrue();
        assertThat(AckFlushConsolidation.install(channel)).isTrue();
        assertThat(channel.pipeline().names().stream().filter(AckFlushConsolidation.NAME::equals)).hasSize(1);

        assertThat(AckFlushConsolidation.install(new EmbeddedChannel())).isFalse();
    }

    /** Stands for the socket: counts the flushes that reach it. */
    private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
        final List<Object> written = new ArrayList<>();
        int flushes;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, io.netty.channel.ChannelPromise promise) {
            written.add(msg);
            promise.setSuccess();
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes++;
        }
    }
}
