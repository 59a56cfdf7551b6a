package io.shardwire.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

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
}
