package io.shardwire.proxy.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shardwire.config.DataSourceConfig;
import io.shardwire.config.PoolConfig;
import io.shardwire.config.ReadSplitConfig;
import io.shardwire.config.ReadSplitConfig.Balancer;
import io.shardwire.config.ShardGroupConfig;
import io.shardwire.proxy.health.DataSourceHealth;
import io.shardwire.proxy.health.DataSourceRole;
import io.shardwire.proxy.health.HealthState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When a suspended replica returns to the read rotation, and what is counted. */
class ReplicaSuspensionsTest {

    /** A fixed clock's instant: two checks may carry the same time and values. */
    private static final Instant AT = Instant.parse("2026-11-27T09:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ReplicaSuspensions suspensions = new ReplicaSuspensions(List.of(group("g0", 3310), group("g1", 3320)),
            registry);

    @Test
    void aSuspensionHoldsUntilACheckAfterItSucceeds() {
        DataSourceHealth seen = up("g0", 1);
        assertThat(suspensions.suspended(seen)).isFalse();
        assertThat(suspensions.suspend(seen, "Communications link failure")).isTrue();
        assertThat(suspensions.suspended(seen)).as("no check since").isTrue();
        assertThat(suspensions.suspend(seen, "Communications link failure")).as("suspended once").isFalse();

        assertThat(suspensions.suspended(down("g0", 1))).as("a later check failed").isTrue();
        DataSourceHealth answered = up("g0", 1);
        assertThat(answered).isEqualTo(seen);
        assertThat(suspensions.suspended(answered)).as("a later check succeeded, equal in values").isFalse();
        assertThat(suspensions.suspended(seen)).isFalse();

        assertThat(suspensions.suspend(answered, "Communications link failure")).as("a new suspension").isTrue();
        assertThat(suspensions.suspended(answered)).isTrue();
        assertThat(count("g0", "127.0.0.1:3311")).isEqualTo(2);
    }

    @Test
    void aSuspensionTakesOutOnlyItsReplica() {
        suspensions.suspend(up("g0", 1), "Communications link failure");
        assertThat(suspensions.suspended(up("g0", 2))).isFalse();
        assertThat(suspensions.suspended(up("g1", 1))).isFalse();
        assertThat(count("g0", "127.0.0.1:3311")).isEqualTo(1);
        assertThat(count("g0", "127.0.0.1:3312")).isZero();
        assertThat(count("g1", "127.0.0.1:3321")).as("registered at 0").isZero();
    }

    private double count(String group, String replica) {
        return registry.get("shardwire.replica.suspensions").tag("group", group).tag("replica", replica).counter()
                .count();
    }

    private static DataSourceHealth up(String group, int index) {
        return new DataSourceHealth(group, DataSourceRole.REPLICA, index, address(group, index), HealthState.UP,
                Optional.of(AT), 0, Optional.empty(), Optional.empty());
    }

    private static DataSourceHealth down(String group, int index) {
        return new DataSourceHealth(group, DataSourceRole.REPLICA, index, address(group, index), HealthState.DOWN,
                Optional.of(AT), 1, Optional.of("Connection refused"), Optional.empty());
    }

    private static String address(String group, int index) {
        return "127.0.0.1:" + ((group.equals("g0") ? 3310 : 3320) + index);
    }

    private static ShardGroupConfig group(String name, int primaryPort) {
        return new ShardGroupConfig(name, new DataSourceConfig("127.0.0.1", primaryPort, "u", "p"),
                List.of(new DataSourceConfig("127.0.0.1", primaryPort + 1, "u", "p", 1),
                        new DataSourceConfig("127.0.0.1", primaryPort + 2, "u", "p", 1)),
                PoolConfig.DEFAULT, new ReadSplitConfig(true, Balancer.ROUND_ROBIN, 1_000, 100));
    }
}
