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
        assertThat(kind("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")).isEqualTo(Kind.NEXT_CHARACTERISTICS);
        assertThat(kind("set session transaction read only")).isEqualTo(Kind.SESSION_CHARACTERISTICS);
    }

    @Test
    void transactionCharacteristicVariablesAreScopedAsTheServersTakeThem() {
        assertThat(kind("SET SESSION transaction_isolation = 'READ-COMMITTED'")).isEqualTo(Kind.SESSION_CHARACTERISTICS);
        assertThat(kind("set tx_isolation='READ-COMMITTED'")).isEqualTo(Kind.SESSION_CHARACTERISTICS);
        assertThat(kind("SET @@SESSION.tx_read_only = 1, LOCAL transaction_isolation := \"SERIALIZABLE\";"))
                .isEqualTo(Kind.SESSION_CHARACTERISTICS);
        assertThat(kind("SET @@transaction_isolation = 'READ-COMMITTED'")).as("no scope: the next transaction only")
                .isEqualTo(Kind.NEXT_CHARACTERISTICS);
        assertThat(kind("SET @@tx_isolation = 'SERIALIZABLE', @@tx_read_only = ON")).isEqualTo(Kind.NEXT_CHARACTERISTICS);
        assertThat(kind("SET GLOBAL transaction_isolation = 'READ-COMMITTED'")).isEqualTo(Kind.MIXED_CHARACTERISTICS);
        assertThat(kind("SET @@GLOBAL.tx_read_only = 1")).isEqualTo(Kind.MIXED_CHARACTERISTICS);
        assertThat(kind("SET @@tx_isolation = 'SERIALIZABLE', tx_read_only = 1")).as("scopes mixed")
                .isEqualTo(Kind.MIXED_CHARACTERISTICS);
        assertThat(kind("set session_track_system_variables='autocommit,tx_isolation',"
                + " transaction_isolation='READ-COMMITTED', sql_mode = ''")).as("a driver's connect-time SET")
                .isEqualTo(Kind.SESSION_CHARACTERISTICS);
        assertThat(kind("SET @@tx_isolation = 'SERIALIZABLE', sql_mode = ''")).as("the next transaction's, with another")
                .isEqualTo(Kind.MIXED_CHARACTERISTICS);
        assertThat(kind("SET tx_isolation = 'READ-COMMITTED', @v = (SELECT 1)")).as("not a plain value")
                .isEqualTo(Kind.MIXED_CHARACTERISTICS);
        assertThat(kind("SET @tx_isolation = 'READ-COMMITTED'")).as("a user variable").isNull();
        assertThat(kind("SET @my_tx_isolation = 1, sql_mode = ''")).isNull();
        assertThat(kind("SET sql_mode = 'ANSI'")).isNull();
        assertThat(kind("SET session_track_system_variables = 'autocommit,tx_isolation'")).as("named in a value only")
                .isNull();
    }

    @Test
    void autocommitAmongOtherAssignmentsIsTheSessionsAndTheOthersAreReplayed() {
        assertThat(TransactionStatement.parse("SET autocommit=0, sql_mode = 'STRICT_ALL_TABLES'").orElseThrow())
                .isEqualTo(new TransactionStatement(Kind.AUTOCOMMIT_OFF, "SET autocommit=0, sql_mode = 'STRICT_ALL_TABLES'",
                        null, "SET sql_mode = 'STRICT_ALL_TABLES'"));
        TransactionStatement driver = TransactionStatement.parse("set session_track_schema=1, @@autocommit = ON,"
                + " transaction_isolation='READ-COMMITTED'").orElseThrow();
        assertThat(driver.kind()).isEqualTo(Kind.AUTOCOMMIT_ON);
        assertThat(driver.others()).isEqualTo("SET session_track_schema=1, transaction_isolation='READ-COMMITTED'");
        // MariaDB Connector/J's statement at connect with autocommit=false; the others are then the session's to run.
        TransactionStatement connect = TransactionStatement.parse("set autocommit=0,sql_mode=CONCAT(@@sql_mode,"
                + "',STRICT_TRANS_TABLES'),NAMES utf8mb4").orElseThrow();
        assertThat(connect.kind()).isEqualTo(Kind.AUTOCOMMIT_OFF);
        assertThat(connect.others()).isEqualTo("SET sql_mode=CONCAT(@@sql_mode,',STRICT_TRANS_TABLES'), NAMES utf8mb4");
        assertThat(kind("SET autocommit = 0, GLOBAL tx_isolation = 'SERIALIZABLE'")).isEqualTo(Kind.MIXED_AUTOCOMMIT);
        assertThat(kind("SET autocommit = 1, @@tx_isolation = 'SERIALIZABLE'")).as("the next transaction's")
                .isEqualTo(Kind.MIXED_AUTOCOMMIT);
        assertThat(TransactionStatement.parse("SET autocommit = 0").orElseThrow().others()).isNull();
        assertThat(kind("SET autocommit = 0, autocommit = 1")).as("the last one's").isEqualTo(Kind.AUTOCOMMIT_ON);
    }

    @Test
    void namesSavepoints() {
        assertThat(TransactionStatement.parse("SAVEPOINT s1").orElseThrow())
                .isEqualTo(new TransactionStatement(Kind.SAVEPOINT, "SAVEPOINT s1", "s1"));
        assertThat(TransactionStatement.parse("rollback work to `my point`;").orElseThrow())
                .isEqualTo(new TransactionStatement(Kind.ROLLBACK_TO, "rollback work to `my point`", "my point"));
        assertThat(TransactionStatement.parse("ROLLBACK TO SAVEPOINT s1").orElseThrow().name()).isEqualTo("s1");
        assertThat(TransactionStatement.parse("RELEASE SAVEPOINT s2").orElseThrow().kind()).isEqualTo(Kind.RELEASE);
    }

    @Test
    void leavesOtherStatementsAlone() {
        assertThat(kind("SELECT 'begin'")).isNull();
        assertThat(TransactionStatement.parse("START TRANSACTION READ ONLY").orElseThrow().sql())
                .isEqualTo("START TRANSACTION READ ONLY");
    }
}
