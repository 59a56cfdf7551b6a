package io.shardwire.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.shardwire.config.FailoverConfig.Account;
import io.shardwire.config.FailoverConfig.Mode;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A group's failover keys: defaults, values, and what {@code failover: auto} requires. */
class FailoverConfigTest {

    private static final String BASE = """
            server:
              users: [{name: app, password: app}]
            shardGroups:
              - name: g0
                primary: {host: 127.0.0.1, port: 3310, user: shardwire}
                replicas: REPLICAS
                FAILOVER
            schemas:
              - {name: shop, defaultShardGroup: g0}
            """;
    private static final String ONE_REPLICA = "[{host: 127.0.0.1, port: 3311, user: shardwire}]";
    private static final String ACCOUNTS = "topologyAccount: {user: topo, password: t}\n"
            + "    replicationAccount: {user: repl, password: r}";

    @Test
    void absentKeysGiveManualFailoverWithAThreeSecondBound() {
        FailoverConfig failover = parse(ONE_REPLICA, "pool: {maxSize: 4}");
        assertThat(failover).isEqualTo(FailoverConfig.DEFAULT);
        assertThat(failover.automatic()).isFalse();
        assertThat(failover.failFastMs()).isEqualTo(3_000);
    }

    @Test
    void readsEveryKey() {
        FailoverConfig failover = parse(ONE_REPLICA, "failover: auto\n    failoverAfterMs: 1500\n    failFastMs: 8000\n    "
                + ACCOUNTS);
        assertThat(failover).isEqualTo(new FailoverConfig(Mode.AUTO, 1500, 8000, Optional.of(new Account("topo", "t")),
                Optional.of(new Account("repl", "r"))));
        assertThat(failover.topologyAccount().orElseThrow().toString()).doesNotContain("t]").contains("topo");
    }

    @Test
    void autoWithoutAReplicaOrAnAccountIsRefused() {
        assertThat(errorOf("[]", "failover: auto\n    " + ACCOUNTS)).hasMessage(
                "s.yaml: shardGroups[0].failover: auto needs at least one replica to promote");
        assertThat(errorOf(ONE_REPLICA, "failover: auto\n    replicationAccount: {user: repl}")).hasMessageStartingWith(
                "s.yaml: shardGroups[0].topologyAccount: required with failover: auto");
        assertThat(errorOf(ONE_REPLICA, "failover: auto\n    topologyAccount: {user: topo}")).hasMessageStartingWith(
                "s.yaml: shardGroups[0].replicationAccount: required with failover: auto");
    }

    @Test
    void unknownModeAndTooShortBoundAreRefused() {
        assertThat(errorOf(ONE_REPLICA, "failover: sometimes").getMessage())
                .startsWith("s.yaml: shardGroups[0].failover:").contains("manual, auto");
        assertThat(errorOf(ONE_REPLICA, "failFastMs: 10").getMessage()).startsWith("s.yaml: shardGroups[0].failFastMs:");
    }

    private static FailoverConfig parse(String replicas, String failover) {
        return ConfigLoader.parse(BASE.replace("REPLICAS", replicas).replace("FAILOVER", failover), "s.yaml")
                .shardGroups().getFirst().failover();
    }

    private static ConfigException errorOf(String replicas, String failover) {
        return catchThrowableOfType(ConfigException.class, () -> parse(replicas, failover));
    }
}
