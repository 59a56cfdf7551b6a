package io.shardwire.proxy.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwire.proxy.health.GtidPosition;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which replica a failover promotes, by the GTID positions they applied. */
class MostAdvancedReplicaTest {

    @Test
    void theReplicaAheadInTheGroupsDomainWins() {
        assertThat(FailoverCoordinator.mostAdvanced(Map.of(
                1, GtidPosition.parse("1-101-40"), 2, GtidPosition.parse("1-101-42")))).isEqualTo(2);
        assertThat(FailoverCoordinator.mostAdvanced(Map.of(
                1, GtidPosition.parse("1-101-42"), 2, GtidPosition.parse("1-101-40")))).isEqualTo(1);
    }

    @Test
    void equalPositionsPickTheFirstInConfigurationOrder() {
        assertThat(FailoverCoordinator.mostAdvanced(Map.of(
                2, GtidPosition.parse("1-101-42"), 1, GtidPosition.parse("1-101-42"), 3,
                GtidPosition.parse("1-101-42")))).isEqualTo(1);
    }

    @Test
    void aSingleCandidateIsChosen() {
        assertThat(FailoverCoordinator.mostAdvanced(Map.of(3, GtidPosition.EMPTY))).isEqualTo(3);
    }
}
