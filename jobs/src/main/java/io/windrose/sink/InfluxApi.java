package io.windrose.sink;

/** Which InfluxDB write API the sink speaks. Configuration form: {@code v2}, {@code v1}. */
public enum InfluxApi {
    /** {@code /api/v2/write} through influxdb-client-java: InfluxDB 2.x, 3.x, Cloud, 1.8+ (org, bucket, token). */
    V2("v2"),
    /** {@code /write}: InfluxDB 1.x (database, retention policy, basic authentication). */
    V1("v1");

    private final String key;

    InfluxApi(String key) {
        this.key = key;
    }

    @Override
    public String toString() {
        return key;
    }
}
