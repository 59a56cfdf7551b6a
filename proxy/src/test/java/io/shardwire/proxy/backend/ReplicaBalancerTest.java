package io.shardwire.proxy.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwire.config.DataSourceConfig;
import io.shardwire.config.PoolConfig;
import io.shardwire.config.ReadSplitConfig;
import io.shardwire.config.ReadSplitConfig.Balancer;
import io.shardwire.config.ShardGroupConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each balancer's choice among the replicas in rotation. */
class ReplicaBalancerTest {

    @Test
    void roundRobinTakesTheCandidatesInTurn() {
        ReplicaBalancer balancer = new ReplicaBalancer(group(Balancer.ROUND_ROBIN, 1, 1, 1));
        List<Integer> chosen = List.of(balancer.choose(List.of(0, 2)), balancer.choose(List.of(0, 2)),
                balancer.choose(List.of(0, 2)), balancer.choose(List.of(0, 2)));
        assertThat(chosen).containsExactly(0, 2, 0, 2);
    }

    @Test
    void weightedSpreadsInProportionToTheWeights() {
        ReplicaBalancer balancer = new ReplicaBalancer(group(Balancer.WEIGHTED, 1, 3));
        int[] counts = new int[2];
        for (int i = 0; i < 40_000; i++) {
            counts[balancer.choose(List.of(0, 1))]++;
        }
        // Expected 10,000 and 30,000; the bounds are many standard deviations (~87) wide.
        assertThat(counts[0]).isBetween(9_000, 11_000);
        assertThat(counts[1]).isBetween(29_000, 31_000);
        assertThat(balancer.choose(List.of(0))).isZero();
    }

    @Test
    void leastOutstandingAvoidsTheBusyReplicaUntilItsReadsEnd() {
        ReplicaBalancer balancer = new ReplicaBalancer(group(Balancer.LEAST_OUTSTANDING, 1, 1));
        Runnable first = balancer.started(0);
        Runnable second = balancer.started(0);
        for (int i = 0; i < 10; i++) {
            assertThat(balancer.choose(List.of(0, 1))).isEqualTo(1);
        }
        first.run();
        second.run();
        assertThat(List.of(balancer.choose(List.of(0, 1)), balancer.choose(List.of(0, 1)))).containsExactlyInAnyOrder(0, 1);
    }

    private static ShardGroupConfig group(Balancer balancer, int... weights) {
        List<DataSourceConfig> replicas = new java.util.ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            replicas.add(new DataSourceConfig("127.0.0.1", 3311 + i, "u", "p", weights[i]));
        }
        return new ShardGroupConfig("g0", new DataSourceConfig("127.0.0.1", 3310, "u", "p"), replicas,
                PoolConfig.DEFAULT, new ReadSplitConfig(true, balancer, 1_000, 100));
    }
}
