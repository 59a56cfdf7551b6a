package io.shardwire.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SessionFunctionsTest {

    /** The session's status flags: autocommit (2), in a transaction (1). */
    private int flags = 2;
    private final LastRowCount rowCount = new LastRowCount();
    private Optional<ResultsCharset> results = Optional.of(ResultsCharset.ofHandshake(45));
    private final SessionFunctions functions = new SessionFunctions(7, "app", "10.0.0.5", 1_048_576, () -> flags,
            rowCount, () -> results);

    @Test
    void theSessionsOwnFunctionsBecomeLiteralsNamedAsWritten() {
        assertThat(functions.rewrite("SELECT CONNECTION_ID(), user(), CURRENT_USER, DATABASE(), @@version,"
                + " @@version_comment AS c", "shop"))
                .hasValue("SELECT 7 AS `CONNECTION_ID()`, 'app@10.0.0.5' AS `user()`, 'app@%' AS `CURRENT_USER`,"
                        + " 'shop' AS `DATABASE()`, '11.4.5-MariaDB-Shardwire-0.1.0' AS `@@version`,"
                        + " 'Shardwire sharding proxy' AS c");
        assertThat(functions.rewrite("SELECT SCHEMA()", null)).hasValue("SELECT NULL AS `SCHEMA()`");
        assertThat(functions.rewrite("SELECT @@session.auto_increment_increment AS auto_increment_increment,"
                + " @@max_allowed_packet AS max_allowed_packet, @@GLOBAL.max_allowed_packet", null))
                .hasValue("SELECT @@session.auto_increment_increment AS auto_increment_increment,"
                        + " 1048576 AS max_allowed_packet, 1048576 AS `@@GLOBAL.max_allowed_packet`");
    }

    /** The backends keep character_set_results NULL: the session's is the proxy's. */
    @Test
    void theResultsCharsetIsTheSessions() {
        assertThat(functions.rewrite("SELECT @@character_set_results", null))
                .hasValue("SELECT 'utf8mb4' AS `@@character_set_results`");
        results = Optional.empty();
        assertThat(functions.rewrite("SELECT @@SESSION.character_set_results AS r", null)).hasValue("SELECT NULL AS r");
        assertThat(functions.followsSession("SELECT @@character_set_results")).isTrue();
    }

    @Test
    void aPreparedStatementNamingTheSchemaFollowsIt() {
        assertThat(functions.followsSession("SELECT @@max_allowed_packet, DATABASE(), CONNECTION_ID(), ?")).isTrue();
        assertThat(functions.followsSession("SELECT schema() AS s")).isTrue();
        assertThat(functions.followsSession("SELECT CONNECTION_ID(), @@version, ?")).isFalse();
        assertThat(functions.followsSession("SELECT DATABASE() FROM orders")).isFalse();
        assertThat(functions.followsSession("SELECT database_name FROM t")).isFalse();
    }

    @Test
    void autocommitAndTheOpenTransactionAreTheSessions() {
        // After SET autocommit = 0 no backend may have heard of it yet.
        assertThat(functions.rewrite("SELECT @@autocommit, @@session.in_transaction", null))
                .hasValue("SELECT 1 AS `@@autocommit`, 0 AS `@@session.in_transaction`");
        flags = 1;
        assertThat(functions.rewrite("SELECT @@autocommit, @@in_transaction", null))
                .hasValue("SELECT 0 AS `@@autocommit`, 1 AS `@@in_transaction`");
        assertThat(functions.followsSession("SELECT @@autocommit")).isTrue();
        assertThat(functions.rewrite("SELECT @@global.autocommit", null)).isEmpty();
    }

    @Test
    void rowCountIsTheSessionsLastAnswers() {
        assertThat(functions.rewrite("SELECT ROW_COUNT()", null)).hasValue("SELECT -1 AS `ROW_COUNT()`");
        rowCount.ok(3);
        assertThat(functions.rewrite("select row_count() AS n", null)).hasValue("SELECT 3 AS n");
        rowCount.rows();
        assertThat(functions.rewrite("SELECT ROW_COUNT()", null)).hasValue("SELECT -1 AS `ROW_COUNT()`");
        assertThat(functions.followsSession("SELECT ROW_COUNT()")).isTrue();
    }

    @Test
    void otherStatementsAreLeftAlone() {
        assertThat(functions.rewrite("SELECT 1", "shop")).isEmpty();
        assertThat(functions.rewrite("SELECT user FROM users", "shop")).isEmpty();
        assertThat(functions.rewrite("SELECT @@session.transaction_read_only", "shop")).isEmpty();
        assertThat(functions.rewrite("UPDATE t SET database_name = 'x'", "shop")).isEmpty();
    }
}
