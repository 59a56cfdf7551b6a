package io.shardwire.proxy.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How one check's outcome moves a data source between UP and DOWN. */
class DataSourceHealthTest {

    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
    private static final DataSourceHealth UP = DataSourceHealth.unknown("g0", DataSourceRole.PRIMARY, 0, "h:1")
            .up(AT, Optional.empty());

    @Test
    void failedChecksBelowTheThresholdKeepTheSourceUpButNotReliedOn() {
        DataSourceHealth once = UP.failed(AT, "connect timed out", false, 3);
        DataSourceHealth twice = once.failed(AT, "connect timed out", false, 3);

        assertThat(once.state()).isEqualTo(HealthState.UP);
        assertThat(once.consecutiveFailures()).isEqualTo(1);
        assertThat(once.lastError()).contains("connect timed out");
        assertThat(once.lastCheckSucceeded()).as("out of the read rotation at once").isFalse();
        assertThat(twice.state()).isEqualTo(HealthState.UP);
        assertThat(twice.failed(AT, "connect timed out", false, 3).state()).isEqualTo(HealthState.DOWN);
    }

    @Test
    void aRefusedConnectionIsDownAtOnce() {
        DataSourceHealth refused = UP.failed(AT, "Connection refused", true, 3);

        assertThat(refused.state()).isEqualTo(HealthState.DOWN);
        assertThat(refused.consecutiveFailures()).isEqualTo(1);
    }

    @Test
    void oneFailedCheckIsEnoughWhenConfiguredSo() {
        assertThat(UP.failed(AT, "connect timed out", false, 1).state()).isEqualTo(HealthState.DOWN);
    }

    @Test
    void aSuccessfulCheckEndsTheRunOfFailures() {
        DataSourceHealth down = UP.failed(AT, "Connection refused", true, 3);
        DataSourceHealth back = down.up(AT, Optional.empty());
        DataSourceHealth failingAgain = back.failed(AT, "connect timed out", false, 3);

        assertThat(back.state()).isEqualTo(HealthState.UP);
        assertThat(back.lastCheckSucceeded()).isTrue();
        assertThat(failingAgain.state()).as("the count starts again").isEqualTo(HealthState.UP);
        assertThat(failingAgain.consecutiveFailures()).isEqualTo(1);
    }

    @Test
    void aSourceNeverSeenUpStaysUnknownUntilTheThreshold() {
        DataSourceHealth unknown = DataSourceHealth.unknown("g0", DataSourceRole.REPLICA, 1, "h:2");
        DataSourceHealth once = unknown.failed(AT, "connect timed out", false, 2);

        assertThat(once.state()).isEqualTo(HealthState.UNKNOWN);
        assertThat(once.lastCheckSucceeded()).isFalse();
        assertThat(once.failed(AT, "connect timed out", false, 2).state()).isEqualTo(HealthState.DOWN);
    }
}
