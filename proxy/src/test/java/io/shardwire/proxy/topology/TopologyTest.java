package io.shardwire.proxy.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardwire.config.ConfigLoader;
import io.shardwire.config.ShardwireConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topology: configured primaries, a promotion written to the data dir and read back, a stale file refused. */
class TopologyTest {

    @TempDir
    Path dataDir;

    @Test
    void withoutAFileTheConfiguredPrimariesServe() throws Exception {
        Topology topology = Topology.load(config(3312));
        assertThat(topology.of("g0")).isEqualTo(new GroupTopology(0, Set.of(), Set.of(), false));
        assertThat(topology.primary("g0").address()).isEqualTo("127.0.0.1:3310");
        assertThat(Files.exists(dataDir.resolve(TopologyFile.NAME))).isFalse();
    }

    @Test
    void theRolesStayTheSameInstanceExactlyUntilTheyChange() throws Exception {
        Topology topology = Topology.load(config(3312));
        GroupTopology before = topology.of("g0");
        topology.strand("g0", 1, false);
        assertThat(topology.of("g0")).isSameAs(before);

        topology.beginFailover("g0");
        GroupTopology failingOver = topology.of("g0");
        assertThat(failingOver).isNotSameAs(before);
        topology.endFailover("g0");
        // Equal to the roles before the failover that promoted nothing, yet not the same: it happened meanwhile.
        assertThat(topology.of("g0")).isEqualTo(before).isNotSameAs(before);
        GroupTopology after = topology.of("g0");
        topology.promote("g0", 2, Set.of());
        assertThat(topology.of("g0")).isNotSameAs(after);
        assertThat(topology.of("g1")).isSameAs(topology.of("g1"));
    }

    @Test
    void aPromotionIsPersistedAndReadAtTheNextStart() throws Exception {
        Topology topology = Topology.load(config(3312));
        topology.beginFailover("g0");
        assertThat(topology.of("g0").failingOver()).isTrue();
        topology.promote("g0", 2, Set.of());
        topology.endFailover("g0");
        assertThat(topology.of("g0")).isEqualTo(new GroupTopology(2, Set.of(0), Set.of(), false));
        assertThat(topology.of("g0").follower(1)).isTrue();
        assertThat(topology.of("g0").follower(0)).isFalse();
        assertThat(topology.of("g1")).isEqualTo(new GroupTopology(0, Set.of(), Set.of(), false));

        Topology restarted = Topology.load(config(3312));
        assertThat(restarted.of("g0")).isEqualTo(new GroupTopology(2, Set.of(0), Set.of(), false));
        assertThat(restarted.primary("g0").address()).isEqualTo("127.0.0.1:3312");
        assertThat(Files.readString(dataDir.resolve(TopologyFile.NAME)))
                .contains("g0.primary=127.0.0.1:3312", "g0.fenced=127.0.0.1:3310").doesNotContain("g1.");
        assertThat(Files.exists(dataDir.resolve(TopologyFile.NAME + ".tmp"))).isFalse();

        restarted.promote("g0", 1, Set.of());
        assertThat(Topology.load(config(3312)).of("g0")).isEqualTo(new GroupTopology(1, Set.of(0, 2), Set.of(), false));
    }

    @Test
    void aStrandedReplicaIsNoFollowerUntilReturnedAndThatIsPersisted() throws Exception {
        Topology topology = Topology.load(config(3312));
        topology.promote("g0", 1, Set.of(2));
        assertThat(topology.of("g0")).isEqualTo(new GroupTopology(1, Set.of(0), Set.of(2), false));
        assertThat(topology.of("g0").follower(2)).isFalse();
        assertThat(Files.readString(dataDir.resolve(TopologyFile.NAME))).contains("g0.stranded=127.0.0.1:3312");
        Topology restarted = Topology.load(config(3312));
        assertThat(restarted.of("g0")).isEqualTo(new GroupTopology(1, Set.of(0), Set.of(2), false));

        restarted.strand("g0", 2, false);
        assertThat(restarted.of("g0").follower(2)).isTrue();
        assertThat(Files.readString(dataDir.resolve(TopologyFile.NAME))).doesNotContain("stranded");
        assertThat(Topology.load(config(3312)).of("g0")).isEqualTo(new GroupTopology(1, Set.of(0), Set.of(), false));
        restarted.strand("g0", 2, true);
        assertThat(Topology.load(config(3312)).of("g0").stranded()).containsExactly(2);
    }

    @Test
    void aFileNamingAServerTheConfigurationLostIsRefused() throws Exception {
        Topology.load(config(3312)).promote("g0", 2, Set.of());
        assertThatThrownBy(() -> Topology.load(config(3399))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("names 127.0.0.1:3312 for shard group g0")
                .hasMessageContaining("not one of its configured data sources");
    }

    private ShardwireConfig config(int secondReplicaPort) {
        return ConfigLoader.parse("""
                server:
                  dataDir: '%s'
                  users: [{name: app, password: app}]
                shardGroups:
                  - name: g0
                    primary: {port: 3310, user: u}
                    replicas: [{port: 3311, user: u}, {port: %d, user: u}]
                  - name: g1
                    primary: {port: 3320, user: u}
                schemas:
                  - {name: shop, defaultShardGroup: g0}
                """.formatted(dataDir, secondReplicaPort), "s.yaml");
    }
}
