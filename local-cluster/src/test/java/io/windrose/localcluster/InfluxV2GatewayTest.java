package io.windrose.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InfluxV2GatewayTest {
    @Test
    void mapsV2WriteParametersOntoV1AsInfluxDb18Does() {
        assertThat(InfluxV2Gateway.toV1WriteQuery("org=o&bucket=telemetry%2Fautogen&precision=ms"))
                .isEqualTo("db=telemetry&rp=autogen&precision=ms");
        assertThat(InfluxV2Gateway.toV1WriteQuery("bucket=telemetry&precision=ns")).isEqualTo("db=telemetry&precision=n");
        assertThat(InfluxV2Gateway.toV1WriteQuery("bucket=db/&precision=us")).isEqualTo("db=db&precision=u");
        assertThat(InfluxV2Gateway.toV1WriteQuery("bucket=db")).isEqualTo("db=db&precision=n");
    }
}
