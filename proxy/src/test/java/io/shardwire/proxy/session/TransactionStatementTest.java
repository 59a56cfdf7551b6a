package io.shardwire.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwire.proxy.session.TransactionStatement.Kind;
import org.junit.jupiter.api.Test;

class TransactionStatementTest {

    private static Kind kind(String sql) {
        return TransactionStatement.parse(sql).map(TransactionStatement::kind).orElse(null);
    }

    @Test
    void recognisesEachForm() {
        assertThat(kind("begin")).isEqualTo(Kind.BEGIN);
        assertThat(kind("START TRANSACTION READ ONLY;")).isEqualTo(Kind.BEGIN);
        assertThat(kind("commit work")).isEqualTo(Kind.COMMIT);
        assertThat(kind("ROLLBACK")).isEqualTo(Kind.ROLLBACK);
        assertThat(kind("SET autocommit=0")).isEqualTo(Kind.AUTOCOMMIT_OFF);
        assertThat(kind("set session autocommit = OFF")).isEqualTo(Kind.AUTOCOMMIT_OFF);
        assertThat(kind("SET @@autocommit = 1")).isEqualTo(Kind.AUTOCOMMIT_ON);
        assertThat(kind("XA START 'x'")).isEqualTo(Kind.XA);
    }

    @Test
    void leavesOtherStatementsAlone() {
        assertThat(kind("ROLLBACK TO SAVEPOINT s1")).isNull();
        assertThat(kind("SELECT 'begin'")).isNull();
        assertThat(kind("SET autocommit=0, sql_mode=''")).isNull();
        assertThat(TransactionStatement.parse("START TRANSACTION READ ONLY").orElseThrow().sql())
                .isEqualTo("START TRANSACTION READ ONLY");
    }
}
