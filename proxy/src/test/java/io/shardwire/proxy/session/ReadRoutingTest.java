package io.shardwire.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shardwire.config.ConfigLoader;
import io.shardwire.config.DataSourceConfig;
import io.shardwire.config.ReadConsistency;
import io.shardwire.proxy.backend.BackendPools;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadRoutingTest {

    @Test
    void textsThatNeedTheSessionsPrimaryConnection() {
        for (String sql : new String[] {
                "SELECT c FROM sbtest1 WHERE id = ? FOR UPDATE",
                "select c from t where id = 1\nfor\tshare",
                "SELECT c FROM t LOCK IN SHARE MODE",
                "SELECT @a",
                "SELECT c FROM t WHERE id = @id",
                "select last_insert_id()",
                "SELECT FOUND_ROWS()",
                "SELECT SQL_CALC_FOUND_ROWS c FROM t",
                "SELECT GET_LOCK('a', 1)",
                "SELECT RELEASE_ALL_LOCKS()",
                "SELECT NEXT VALUE FOR s",
                "SELECT NEXTVAL(s)",
                "SELECT CONNECTION_ID()",
                "SELECT MASTER_GTID_WAIT('0-1-1')",
                "SELECT c FROM t INTO OUTFILE '/tmp/x'"}) {
            assertThat(ReadRouting.textNeedsPrimary(sql)).as(sql).isTrue();
        }
    }

    @Test
    void textsAnyConnectionMayRun() {
        for (String sql : new String[] {
                "SELECT c FROM sbtest_0.sbtest1_0 WHERE id = ?",
                "SELECT @@version, @@session.sql_mode",
                "SELECT c FROM last_insert_id_log WHERE id = ?",
                "SELECT update_for FROM t",
                "SELECT c FROM t WHERE note = 'for'"}) {
            assertThat(ReadRouting.textNeedsPrimary(sql)).as(sql).isFalse();
        }
    }

    /**
     * Whether a group's reads may go to replicas at all, which sends a prepared single-node read past the native path
     * (always the primary) to the JDBC path that picks a replica.
     */
    @Test
    void readsMayUseReplicasOnlyOfAGroupThatSendsThemThereAndNotUnderStrongConsistency() {
        // Neither the health monitor nor the topology is asked: only the configuration and the session's consistency.
        ReadRouting reads = new ReadRouting(pools(), false, ReadConsistency.SESSION);
        assertThat(reads.mayUseReplicas("split")).isTrue();
        assertThat(reads.mayUseReplicas("primaryOnly")).isFalse();
        assertThat(reads.mayUseReplicas("noReplicas")).isFalse();

        reads.reset(ReadConsistency.EVENTUAL);
        assertThat(reads.mayUseReplicas("split")).isTrue();
        reads.reset(ReadConsistency.STRONG);
        assertThat(reads.mayUseReplicas("split")).isFalse();
    }

    /**
     * A native read the session must first wait for on its replica is left to the JDBC path, and the native choice of
     * that replica ends at once (the balancer's count). Whether a wait there saw the write applied is
     * {@link RequiredGtidsTest}'s, and how the JDBC path then reads is ReadWriteSplitIT's.
     */
    @Test
    void aNativeReadAfterTheSessionUsedThePrimaryIsLeftToTheJdbcPathUnderSessionConsistencyOnly() {
        AtomicInteger ended = new AtomicInteger();
        BackendPools.ChosenReplica replica = new BackendPools.ChosenReplica(0,
                new DataSourceConfig("localhost", 3311, "u", ""), ended::incrementAndGet);
        ReadRouting reads = new ReadRouting(pools(), false, ReadConsistency.SESSION);
        assertThat(reads.waitsForWrites("split", replica)).as("nothing written").isFalse();
        assertThat(ended).hasValue(0);

        reads.usedPrimary("split");
        assertThat(reads.waitsForWrites("split", replica)).isTrue();
        assertThat(ended).hasValue(1);

        reads.reset(ReadConsistency.EVENTUAL);
        reads.usedPrimary("split");
        assertThat(reads.waitsForWrites("split", replica)).as("eventual").isFalse();
        assertThat(ended).hasValue(1);
    }

    private static BackendPools pools() {
        return new BackendPools(ConfigLoader.parse("""
                server:
                  users: [{name: app, password: app}]
                shardGroups:
                  - name: split
                    primary: {port: 3310, user: u}
                    replicas: [{port: 3311, user: u}]
                    reads: {fromReplicas: true}
                  - name: primaryOnly
                    primary: {port: 3320, user: u}
                    replicas: [{port: 3321, user: u}]
                  - name: noReplicas
                    primary: {port: 3330, user: u}
                    reads: {fromReplicas: true}
                schemas:
                  - {name: shop, defaultShardGroup: split}
                """, "s.yaml"), new SimpleMeterRegistry(), null, null);
    }
}
