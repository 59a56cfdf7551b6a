package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Several statements in one COM_QUERY (Connector/J's {@code allowMultiQueries}, the {@code mariadb} CLI's compound
 * texts), over the demo schema spread over two groups: each statement answers in order as on one MariaDB; the first
 * error ends the text; without the client's option a second statement is a syntax error and nothing runs.
 */
class MultiStatementIT {

    private static ProxyFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = ProxyFixture.startWithDemoTables("multistatement", 2, "customers");
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static Connection multi() throws SQLException {
        return fixture.connect("app", "app", "shop", "allowMultiQueries", "true");
    }

    private static String insert(long... ids) {
        List<String> rows = new ArrayList<>();
        for (long id : ids) {
            rows.add("(" + id + ", 'c" + id + "', 'c" + id + "@example.com', '2026-11-28 10:00:00')");
        }
        return "INSERT INTO customers (id, name, email, created_at) VALUES " + String.join(", ", rows);
    }

    /** Every result of the statement's text, in order: "n rows" for an update count, the first column's values else. */
    private static List<String> results(Statement s, String text) throws SQLException {
        List<String> results = new ArrayList<>();
        boolean isRows = s.execute(text);
        while (true) {
            if (isRows) {
                List<String> values = new ArrayList<>();
                try (ResultSet rs = s.getResultSet()) {
                    while (rs.next()) {
                        values.add(rs.getString(1));
                    }
                }
                results.add(String.join(",", values));
            } else if (s.getUpdateCount() >= 0) {
                results.add(s.getUpdateCount() + " rows");
            } else {
                return results;
            }
            isRows = s.getMoreResults();
        }
    }

    private static long count(String where) throws SQLException {
        try (Connection c = fixture.app(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM customers WHERE " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void eachStatementOfTheTextAnswersInOrder() throws Exception {
        try (Connection c = multi(); Statement s = c.createStatement()) {
            assertThat(results(s, insert(1001, 1002, 1003, 1004)
                    + "; SELECT id FROM customers WHERE id BETWEEN 1001 AND 1004 ORDER BY id DESC"
                    + "; UPDATE customers SET name = 'renamed' WHERE id BETWEEN 1001 AND 1004"
                    + "; SELECT COUNT(*), SUM(id) FROM customers WHERE name = 'renamed'"
                    + "; SET @seen = 4; SELECT @seen; SELECT name FROM customers WHERE id = 1003"))
                    .containsExactly("4 rows", "1004,1003,1002,1001", "4 rows", "4", "0 rows", "4", "renamed");
            // As MariaDB: comments after the last semicolon answer an OK of their own.
            assertThat(results(s, "SELECT 5; -- done")).containsExactly("5", "0 rows");
            // Each statement alone: the last of a text above took the path a point read takes alone.
            assertThat(results(s, "SELECT name FROM customers WHERE id = 1002")).containsExactly("renamed");
        }
    }

    @Test
    void theFirstErrorEndsTheTextAndNoLaterStatementRuns() throws Exception {
        try (Connection c = multi(); Statement s = c.createStatement()) {
            List<String> seen = new ArrayList<>();
            assertThatThrownBy(() -> seen.addAll(results(s,
                    insert(2001) + "; INSERT INTO no_such_table VALUES (1); " + insert(2002))))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1146));
            assertThat(s.executeQuery("SELECT 1").next()).as("the session goes on").isTrue();
        }
        assertThat(count("id = 2001")).isEqualTo(1);
        assertThat(count("id = 2002")).isZero();
    }

    @Test
    void aTransactionOverBothGroupsInOneText() throws Exception {
        try (Connection c = multi(); Statement s = c.createStatement()) {
            assertThat(results(s, "BEGIN; " + insert(3001, 3002, 3003, 3004) + "; COMMIT"))
                    .containsExactly("0 rows", "4 rows", "0 rows");
            assertThat(results(s, "START TRANSACTION; DELETE FROM customers WHERE id >= 3001 AND id <= 3004;"
                    + " SELECT COUNT(*) FROM customers WHERE id >= 3001 AND id <= 3004; ROLLBACK"))
                    .containsExactly("0 rows", "4 rows", "0", "0 rows");
        }
        assertThat(count("id BETWEEN 3001 AND 3004")).isEqualTo(4);
    }

    @Test
    void withoutTheClientsOptionASecondStatementIsASyntaxErrorAndNothingRuns() throws Exception {
        try (Connection c = fixture.app(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute(insert(4001) + ";\nSELECT 1"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1064))
                    .hasMessageEndingWith("near 'SELECT 1' at line 2");
            // A statement's own end and comments after it are no second statement.
            assertThat(results(s, "SELECT 7;")).containsExactly("7");
            assertThat(results(s, "SELECT 8; -- done")).containsExactly("8");
        }
        assertThat(count("id = 4001")).isZero();
    }
}
