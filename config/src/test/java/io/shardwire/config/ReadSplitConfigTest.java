package io.shardwire.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.shardwire.config.ReadSplitConfig.Balancer;
import org.junit.jupiter.api.Test;

/** A group's {@code reads} section, replica weights and a user's {@code consistency}: defaults, values, refusals. */
class ReadSplitConfigTest {

    private static final String BASE = """
            server:
              users: [{name: app, password: app, CONSISTENCY}]
            shardGroups:
              - name: g0
                primary: {host: 127.0.0.1, port: 3310, user: shardwire}
                replicas:
                  - {host: 127.0.0.1, port: 3311, user: shardwire, WEIGHT}
                READS
            schemas:
              - {name: shop, defaultShardGroup: g0}
            """;

    @Test
    void absentKeysGiveReadsOnThePrimaryAndSessionConsistency() {
        ShardwireConfig config = parse("admin: false", "weight: 1", "pool: {maxSize: 4}");
        ShardGroupConfig group = config.shardGroups().getFirst();
        assertThat(group.reads()).isEqualTo(ReadSplitConfig.DEFAULT);
        assertThat(group.reads().fromReplicas()).isFalse();
        assertThat(group.replicas().getFirst().weight()).isEqualTo(1);
        assertThat(config.user("app").orElseThrow().consistency()).isEqualTo(ReadConsistency.SESSION);
    }

    @Test
    void readsEveryKey() {
        ShardwireConfig config = parse("consistency: eventual", "weight: 3",
                "reads: {fromReplicas: true, balancer: leastOutstanding, maxReplicaLagMs: -1, gtidWaitTimeoutMs: 250}");
        ShardGroupConfig group = config.shardGroups().getFirst();
        assertThat(group.reads()).isEqualTo(new ReadSplitConfig(true, Balancer.LEAST_OUTSTANDING, -1, 250));
        assertThat(group.replicas().getFirst().weight()).isEqualTo(3);
        assertThat(config.user("app").orElseThrow().consistency()).isEqualTo(ReadConsistency.EVENTUAL);
        assertThat(parse("consistency: STRONG", "weight: 1", "reads: {balancer: weighted}").shardGroups().getFirst()
                .reads().balancer()).isEqualTo(Balancer.WEIGHTED);
    }

    @Test
    void unknownBalancerIsRefusedWithTheChoices() {
        assertThat(errorOf("admin: false", "weight: 1", "reads: {balancer: random}")).hasMessage(
                "s.yaml: shardGroups[0].reads.balancer: must be one of roundRobin, weighted, leastOutstanding, not 'random'");
    }

    @Test
    void unknownConsistencyIsRefusedWithTheChoices() {
        assertThat(errorOf("consistency: sometimes", "weight: 1", "pool: {maxSize: 4}")).hasMessage(
                "s.yaml: server.users[0].consistency: must be one of eventual, session, strong, not 'sometimes'");
    }

    @Test
    void lagLimitBelowMinusOneAndWeightZeroAreRefused() {
        assertThat(errorOf("admin: false", "weight: 1", "reads: {maxReplicaLagMs: -5}")).hasMessage(
                "s.yaml: shardGroups[0].reads.maxReplicaLagMs: must be -1 or an integer >= 0, got '-5'");
        assertThat(errorOf("admin: false", "weight: 0", "pool: {maxSize: 4}")).hasMessage(
                "s.yaml: shardGroups[0].replicas[0].weight: must be an integer in 1..1000, got '0'");
    }

    private static ShardwireConfig parse(String user, String weight, String reads) {
        return ConfigLoader.parse(BASE.replace("CONSISTENCY", user).replace("WEIGHT", weight).replace("READS", reads),
                "s.yaml");
    }

    private static ConfigException errorOf(String user, String weight, String reads) {
        return catchThrowableOfType(ConfigException.class, () -> parse(user, weight, reads));
    }
}
