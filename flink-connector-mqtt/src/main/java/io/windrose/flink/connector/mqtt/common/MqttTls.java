package io.windrose.flink.connector.mqtt.common;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/** Turns PEM files into the HiveMQ client's TLS settings. */
public final class MqttTls {
    private static final char[] NO_PASSWORD = new char[0];

    private MqttTls() {}

    public static MqttClientSslConfig sslConfig(MqttTlsOptions tls) {
        MqttClientSslConfigBuilder builder = MqttClientSslConfig.builder();
        try {
            if (tls.caFile() != null) {
                KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
                trusted.load(null, null);
                int i = 0;
                for (Certificate ca : certificates(tls.caFile())) {
                    trusted.setCertificateEntry("ca-" + i++, ca);
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trusted);
                builder = builder.trustManagerFactory(tmf);
            }
            if (tls.certFile() != null) {
                KeyStore own = KeyStore.getInstance(KeyStore.getDefaultType());
                own.load(null, null);
                own.setKeyEntry("client", privateKey(tls.keyFile()), NO_PASSWORD,
                        certificates(tls.certFile()).toArray(new Certificate[0]));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(own, NO_PASSWORD);
                builder = builder.keyManagerFactory(kmf);
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("MQTT TLS setup failed: " + e.getMessage(), e);
        }
        if (!tls.hostnameVerification()) {
            builder = builder.hostnameVerifier((host, session) -> true);
        }
        return builder.build();
    }

    private static Collection<? extends Certificate> certificates(String file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new GeneralSecurityException("no certificate in " + file);
            }
            return certificates;
        }
    }

    private static PrivateKey privateKey(String file) throws IOException, GeneralSecurityException {
        if (file == null) {
            throw new GeneralSecurityException("a client certificate needs its key file (tls.key-file)");
        }
        String pem = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new GeneralSecurityException(file + " is not an unencrypted PKCS#8 key (BEGIN PRIVATE KEY); convert it"
                    + " with: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out client-pkcs8.key");
        }
        String base64 = pem.substring(pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27, pem.indexOf("-----END PRIVATE KEY-----"))
                .replaceAll("\\s", "");
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64));
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new GeneralSecurityException(file + " holds a key of an unsupported algorithm (RSA, EC, Ed25519 work)");
    }
}
