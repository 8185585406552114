package io.windrose.sink;

import io.windrose.deadletter.DeadLetterProducer;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Writes points to InfluxDB, through the v2 API (influxdb-client-java: InfluxDB 2.x, 3.x, Cloud, 1.8+) or the 1.x
 * API. Batches by size and linger time and flushes on every checkpoint (at-least-once); the same element always yields
 * the same point, so a replay overwrites instead of duplicating. Outages are retried while the job waits; points the
 * server refuses become dead letters. See {@link InfluxDbWriter}. Built with {@link #builder(InfluxDbConfig)}.
 */
public final class InfluxDbSink<T> implements Sink<T> {
    private static final long serialVersionUID = 3L;

    private final InfluxDbConfig config;
    private final DeadLetterProducer.Options deadLetters;
    private final PointMapper<T> mapper;
    private final SerializableFunction<T, String> keyOf;

    private InfluxDbSink(InfluxDbConfig config, DeadLetterProducer.Options deadLetters, PointMapper<T> mapper,
            SerializableFunction<T, String> keyOf) {
        this.config = config;
        this.deadLetters = deadLetters;
        this.mapper = mapper;
        this.keyOf = keyOf;
    }

    /** A builder for sinks writing to the InfluxDB {@code config} describes; one builder serves several sinks. */
    public static Builder builder(InfluxDbConfig config) {
        return new Builder(config);
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new InfluxDbWriter<>(config, config.client(), deadLetters, mapper, keyOf, context.getProcessingTimeService(),
                context.metricGroup());
    }

    /** Builds {@link InfluxDbSink}s sharing one InfluxDB section and dead-letter topic. */
    public static final class Builder {
        private final InfluxDbConfig config;
        private DeadLetterProducer.Options deadLetters;

        private Builder(InfluxDbConfig config) {
            this.config = Objects.requireNonNull(config);
        }

        /** Where points InfluxDB refuses go (with the server's message); without one they are logged. */
        public Builder setDeadLetters(DeadLetterProducer.Options deadLetters) {
            this.deadLetters = deadLetters;
            return this;
        }

        /**
         * @param mapper element → point (the data contract, see {@link InfluxPoints})
         * @param keyOf the sensor id of an element, for its dead letter if InfluxDB refuses it
         */
        public <T> InfluxDbSink<T> build(PointMapper<T> mapper, SerializableFunction<T, String> keyOf) {
            return new InfluxDbSink<>(config, deadLetters, Objects.requireNonNull(mapper), Objects.requireNonNull(keyOf));
        }
    }
}
