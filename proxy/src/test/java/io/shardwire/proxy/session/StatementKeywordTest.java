package io.shardwire.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatementKeywordTest {

    @Test
    void readsTheFirstKeywordInAnyCase() {
        assertThat(StatementKeyword.of("SELECT c FROM sbtest1 WHERE id=1")).isEqualTo(StatementKeyword.SELECT);
        assertThat(StatementKeyword.of("select(1)")).isEqualTo(StatementKeyword.SELECT);
        assertThat(StatementKeyword.of("with t as (select 1) select * from t")).isEqualTo(StatementKeyword.WITH);
        assertThat(StatementKeyword.of("Set autocommit=0")).isEqualTo(StatementKeyword.SET);
        assertThat(StatementKeyword.of("SHOW TABLES")).isEqualTo(StatementKeyword.SHOW);
        assertThat(StatementKeyword.of("KILL QUERY 3")).isEqualTo(StatementKeyword.KILL);
        assertThat(StatementKeyword.of("CREATE TEMPORARY TABLE t (a int)")).isEqualTo(StatementKeyword.CREATE);
    }

    @Test
    void groupsTheTransactionAndDescribeKeywords() {
        for (String sql : new String[] {"BEGIN", "start transaction", "COMMIT", "rollback", "SAVEPOINT a",
                "RELEASE SAVEPOINT a", "XA START 'x'"}) {
            assertThat(StatementKeyword.of(sql)).as(sql).isEqualTo(StatementKeyword.TRANSACTION);
        }
        for (String sql : new String[] {"DESCRIBE t", "desc t", "EXPLAIN SELECT 1"}) {
            assertThat(StatementKeyword.of(sql)).as(sql).isEqualTo(StatementKeyword.DESCRIBE);
        }
    }

    @Test
    void skipsBlanksAndComments() {
        assertThat(StatementKeyword.of("  \n\t/* a */ -- b\n # c\nKILL 1")).isEqualTo(StatementKeyword.KILL);
        assertThat(StatementKeyword.of("/*!40101 SET NAMES utf8 */")).isEqualTo(StatementKeyword.OTHER);
        assertThat(StatementKeyword.of("/* never closed")).isEqualTo(StatementKeyword.OTHER);
    }

    @Test
    void otherWordsAreOther() {
        assertThat(StatementKeyword.of("INSERT INTO t VALUES (1)")).isEqualTo(StatementKeyword.OTHER);
        assertThat(StatementKeyword.of("SELECTED")).isEqualTo(StatementKeyword.OTHER);
        assertThat(StatementKeyword.of("SET_X = 1")).isEqualTo(StatementKeyword.OTHER);
        assertThat(StatementKeyword.of("--1")).isEqualTo(StatementKeyword.OTHER);
        assertThat(StatementKeyword.of("(SELECT 1)")).isEqualTo(StatementKeyword.OTHER);
        assertThat(StatementKeyword.of("")).isEqualTo(StatementKeyword.OTHER);
    }
}
