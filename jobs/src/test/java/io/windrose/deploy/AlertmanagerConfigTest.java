package io.windrose.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.localcluster.AlertmanagerServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/alertmanager/alertmanager.yml} is a configuration Alertmanager accepts ({@code amtool check-config},
 * Alertmanager's own parser), routes as it says (critical alerts to Slack and by e-mail, the others by e-mail) and reads
 * its secrets from files; the local stack's configuration ({@link AlertmanagerServer#config}) is accepted too.
 */
class AlertmanagerConfigTest {
    private static final String EXAMPLE = "deploy/alertmanager/alertmanager.yml";

    @TempDir
    Path dir;

    @Test
    void amtoolAcceptsTheExample() throws Exception {
        HealthRulesTest.Result result = HealthRulesTest.bash("amtool check-config " + EXAMPLE);
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS", "2 receivers", "1 inhibit rules");
    }

    @Test
    void criticalAlertsGoToSlackAndByEmailTheOthersByEmail() throws Exception {
        assertThat(route("level=critical alertname=WindroseJobDown job_name=windrose-local")).isEqualTo("ops-slack,ops-email");
        assertThat(route("level=critical alertname=too-hot sensor=s-1")).isEqualTo("ops-slack,ops-email");
        assertThat(route("level=warning alertname=WindroseDeadLettersRising reason=MALFORMED")).isEqualTo("ops-email");
        assertThat(route("alertname=anything")).isEqualTo("ops-email");
    }

    @Test
    void secretsComeFromFiles() throws Exception {
        String example = Files.readString(HealthRulesTest.ROOT.resolve(EXAMPLE));
        assertThat(example).contains("smtp_auth_password_file: /", "api_url_file: /")
                .doesNotContainPattern("(?m)^\\s*smtp_auth_password:").doesNotContainPattern("(?m)^\\s*(slack_)?api_url:")
                .doesNotContain("hooks.slack.com");
        // what amtool accepts is what Alertmanager 0.25 would parse: a misspelt key fails it
        Path misspelt = Files.writeString(dir.resolve("misspelt.yml"),
                example.replace("smtp_auth_password_file:", "smtp_auth_password_path:"));
        HealthRulesTest.Result result = HealthRulesTest.bash("amtool check-config " + misspelt);
        assertThat(result.exit()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("smtp_auth_password_path");
    }

    @Test
    void amtoolAcceptsTheLocalStacksConfiguration() throws Exception {
        Path file = Files.writeString(dir.resolve("local.yml"), AlertmanagerServer.config("http://127.0.0.1:12345/alerts"));
        HealthRulesTest.Result result = HealthRulesTest.bash("amtool check-config " + file);
        assertThat(result.exit()).as(result.output()).isZero();
        HealthRulesTest.Result routed = HealthRulesTest.bash("amtool config routes test --config.file=" + file
                + " alertname=x level=critical 2>/dev/null");
        assertThat(routed.output().trim()).isEqualTo("windrose-log");
    }

    private static String route(String labels) throws Exception {
        HealthRulesTest.Result result = HealthRulesTest.bash("amtool config routes test --config.file=" + EXAMPLE + " "
                + labels + " 2>/dev/null");
        assertThat(result.exit()).as(result.output()).isZero();
        return result.output().trim();
    }
}
