package io.shardwire.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/** The {@code monitoring} section: defaults, values read, and each rule with its key path. */
class MonitoringConfigTest {

    private static final String BASE = """
            server:
              users: [{name: app, password: app}]
            shardGroups:
              - name: g0
                primary: {host: 127.0.0.1, port: 3310, user: shardwire}
            schemas:
              - {name: shop, defaultShardGroup: g0}
            """;

    @Test
    void absentSectionGivesTheDefaults() {
        assertThat(ConfigLoader.parse(BASE, "s.yaml").monitoring()).isEqualTo(MonitoringConfig.DEFAULT);
    }

    @Test
    void readsEveryKey() {
        MonitoringConfig monitoring = ConfigLoader.parse(BASE + """
                monitoring: {heartbeatIntervalMs: 500, heartbeatTimeoutMs: 200, downAfterFailedChecks: 1, slowQueryMs: -1}
                """, "s.yaml").monitoring();

        assertThat(monitoring).isEqualTo(new MonitoringConfig(500, 200, 1, -1));
        assertThat(monitoring.slowQueryLogEnabled()).isFalse();
    }

    @Test
    void defaultTimeoutShrinksToAShortInterval() {
        assertThat(ConfigLoader.parse(BASE + "monitoring: {heartbeatIntervalMs: 300}\n", "s.yaml").monitoring())
                .isEqualTo(new MonitoringConfig(300, 300, 3, 1_000));
    }

    @Test
    void timeoutLongerThanTheIntervalIsRefused() {
        assertThat(errorOf("monitoring: {heartbeatIntervalMs: 1000, heartbeatTimeoutMs: 1500}"))
                .hasMessage("s.yaml: monitoring.heartbeatTimeoutMs: must be an integer in 100..heartbeatIntervalMs"
                        + " (1000), got '1500'");
    }

    @Test
    void intervalBelowTheMinimumIsRefused() {
        assertThat(errorOf("monitoring: {heartbeatIntervalMs: 10}"))
                .hasMessage("s.yaml: monitoring.heartbeatIntervalMs: must be an integer >= 100, got '10'");
    }

    @Test
    void downAfterNoFailedCheckIsRefused() {
        assertThat(errorOf("monitoring: {downAfterFailedChecks: 0}"))
                .hasMessage("s.yaml: monitoring.downAfterFailedChecks: must be an integer in 1..100, got '0'");
    }

    @Test
    void negativeSlowQueryThresholdOtherThanMinusOneIsRefused() {
        assertThat(errorOf("monitoring: {slowQueryMs: -5}"))
                .hasMessage("s.yaml: monitoring.slowQueryMs: must be -1 or an integer >= 0, got '-5'");
    }

    @Test
    void unknownKeyIsRefused() {
        assertThat(errorOf("monitoring: {slowQueryMillis: 5}")).hasMessage("s.yaml: monitoring.slowQueryMillis:"
                + " unknown key (expected one of: heartbeatIntervalMs, heartbeatTimeoutMs, downAfterFailedChecks,"
                + " slowQueryMs)");
    }

    private static ConfigException errorOf(String monitoring) {
        return catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(BASE + monitoring + "\n", "s.yaml"));
    }
}
