package io.windrose.history;

/**
 * Where a replay writes: InfluxDB (the pipeline's, in place — or under {@code measurementSuffix}, or into another
 * {@code database}) and/or a Kafka topic. Never actions: no MQTT command, no webhook.
 *
 * @param measurementSuffix appended to every aggregate's measurement (and to {@code alerts}); empty: in place
 * @param database another InfluxDB database (v1) or bucket (v2) than the pipeline's; null: the pipeline's
 * @param kafkaTopic a Kafka topic for the aggregates (Avro SensorAggregate); null: none
 * @param influxdb whether to write InfluxDB at all
 */
public record ReplayOutputs(boolean influxdb, String measurementSuffix, String database, String kafkaTopic) {
    /** Whether the replay writes over the live points (the pipeline's database, the same measurements). */
    public boolean inPlace() {
        return influxdb && measurementSuffix.isEmpty() && database == null;
    }
}
