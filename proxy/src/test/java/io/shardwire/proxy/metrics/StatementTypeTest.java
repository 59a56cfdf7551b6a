package io.shardwire.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatementTypeTest {

    @Test
    void classifiesByTheFirstKeywordIgnoringCaseCommentsAndParentheses() {
        assertThat(StatementType.of("select 1")).isEqualTo(StatementType.SELECT);
        assertThat(StatementType.of("  /* hint */ -- note\n (SELECT 1) UNION (SELECT 2)")).isEqualTo(StatementType.SELECT);
        assertThat(StatementType.of("# c\nWITH t AS (SELECT 1) SELECT * FROM t")).isEqualTo(StatementType.SELECT);
        assertThat(StatementType.of("Insert INTO t VALUES (1)")).isEqualTo(StatementType.INSERT);
        assertThat(StatementType.of("REPLACE INTO t VALUES (1)")).isEqualTo(StatementType.INSERT);
        assertThat(StatementType.of("update t set a = 1")).isEqualTo(StatementType.UPDATE);
        assertThat(StatementType.of("DELETE FROM t")).isEqualTo(StatementType.DELETE);
        assertThat(StatementType.of("create table t (a int)")).isEqualTo(StatementType.DDL);
        assertThat(StatementType.of("ALTER TABLE t ADD b INT")).isEqualTo(StatementType.DDL);
        assertThat(StatementType.of("drop table t")).isEqualTo(StatementType.DDL);
        assertThat(StatementType.of("TRUNCATE t")).isEqualTo(StatementType.DDL);
        assertThat(StatementType.of("RENAME TABLE a TO b")).isEqualTo(StatementType.DDL);
    }

    @Test
    void everythingElseIsOther() {
        assertThat(StatementType.of("SET autocommit = 0")).isEqualTo(StatementType.OTHER);
        assertThat(StatementType.of("SHOW SHARDWIRE GROUPS")).isEqualTo(StatementType.OTHER);
        assertThat(StatementType.of("SELECTED")).isEqualTo(StatementType.OTHER);
        assertThat(StatementType.of("")).isEqualTo(StatementType.OTHER);
        assertThat(StatementType.of("/* unterminated")).isEqualTo(StatementType.OTHER);
    }
}
