package io.windrose.flink.connector.mqtt.common;

import java.io.Serializable;

/**
 * TLS for {@code ssl://} servers: PEM files read on the task managers when a reader connects.
 *
 * @param caFile CA certificate(s) to trust; the JVM's default trust store when null
 * @param certFile client certificate chain for mutual TLS, or null
 * @param keyFile the client certificate's private key (PKCS#8 PEM, "BEGIN PRIVATE KEY"), or null
 * @param hostnameVerification whether the server certificate must name the host connected to
 */
public record MqttTlsOptions(String caFile, String certFile, String keyFile, boolean hostnameVerification)
        implements Serializable {

    /** The JVM's trust store and hostname verification. */
    public static MqttTlsOptions defaults() {
        return new MqttTlsOptions(null, null, null, true);
    }
}
