package io.shardwire.cdc.debezium;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How the binlog's own event descriptions are read. */
class BinlogXaGroupsTest {

    @Test
    void anXaStartGtidEventIsAPreparedBranch() {
        assertThat(BinlogXaGroups.classify(true, "XA START X'7377',X'6731',1 GTID 0-1-5"))
                .isEqualTo(new XaGroup(XaGroup.Kind.PREPARED, "X'7377',X'6731',1"));
        assertThat(BinlogXaGroups.classify(true, "BEGIN GTID 0-1-5")).isNull();
    }

    @Test
    void xaCommitAndRollbackQueriesEndABranchAndAnythingElseIsPlain() {
        assertThat(BinlogXaGroups.classify(false, "XA COMMIT X'7377',X'6731',1"))
                .isEqualTo(new XaGroup(XaGroup.Kind.COMMITTED, "X'7377',X'6731',1"));
        assertThat(BinlogXaGroups.classify(false, "XA ROLLBACK X'7377',X'6731',1"))
                .isEqualTo(new XaGroup(XaGroup.Kind.ROLLED_BACK, "X'7377',X'6731',1"));
        assertThat(BinlogXaGroups.classify(false, "table_id: 33 (shop_1.customers_1)")).isEqualTo(XaGroup.PLAIN);
    }
}
