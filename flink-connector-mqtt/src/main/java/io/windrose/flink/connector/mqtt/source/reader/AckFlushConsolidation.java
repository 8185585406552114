package io.windrose.flink.connector.mqtt.source.reader;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * Lets the acks of one checkpoint leave in a few socket writes instead of one each.
 *
 * <p>The HiveMQ client flushes every PUBACK it writes outside a socket read, and at-least-once acks go out when a
 * checkpoint completes, outside any read: 20,000 acks were 20,000 write() calls. Measured with the client alone (bench
 * {@code mqtt-client-qos1}, acks every second): its network thread spent 8.6-9.9 µs per message at QoS 1 against 0.9
 * at QoS 0; with Netty's {@link FlushConsolidationHandler} before the client's encoder (one flush per 256 or per turn
 * of the event loop), 4.8-5.2 µs.
 *
 * <p>MQTT 5 only: see {@link ClientChannel}.
 */
final class AckFlushConsolidation {
    static final String NAME = "mqtt-ack-flush-consolidation";
    /** The HiveMQ client's encoder: flushes from its handlers pass it on their way to the socket. */
    private static final String CLIENT_ENCODER = "encoder";
    private static final int EXPLICIT_FLUSH_AFTER_FLUSHES = 256;

    private AckFlushConsolidation() {}

    /** Adds the handler before the client's encoder; false when the pipeline has no such encoder. */
    static boolean install(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get(CLIENT_ENCODER) == null) {
            return false;
        }
        if (pipeline.get(NAME) == null) {
            pipeline.addBefore(CLIENT_ENCODER, NAME, new FlushConsolidationHandler(EXPLICIT_FLUSH_AFTER_FLUSHES, true));
        }
        return true;
    }
}
