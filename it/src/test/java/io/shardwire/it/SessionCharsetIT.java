package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SET NAMES ... COLLATE and the character set variables reach every backend connection a session uses, on both
 * shard groups (pinned ones, and the pooled ones a scatter read takes), and are gone for the next session that gets
 * those connections from the pool. Literals show it: {@code COLLATION('x')} and {@code 'a' = 'A'} are evaluated on
 * each data node under the connection's collation.
 */
class SessionCharsetIT {

    private static ProxyFixture fixture;
    private static int onG0;
    private static int onG1;

    @BeforeAll
    static void start() throws Exception {
        fixture = ProxyFixture.start("charset", 2);
        List<Integer> g0 = new ArrayList<>();
        List<Integer> g1 = new ArrayList<>();
        try (Connection c = fixture.app(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS shop");
            s.execute("DROP TABLE IF EXISTS customers");
            s.execute("CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(20))");
            for (int id = 1; id <= 20; id++) {
                s.executeUpdate("INSERT INTO customers (id, name) VALUES (" + id + ", 'n" + id + "')");
                try (ResultSet plan = s.executeQuery("EXPLAIN SHARDWIRE SELECT * FROM customers WHERE id = " + id)) {
                    plan.next();
                    (plan.getString(5).equals("g0") ? g0 : g1).add(id);
                }
            }
        }
        onG0 = g0.getFirst();
        onG1 = g1.getFirst();
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void setNamesCollateReachesEveryGroupAndAFreshSessionDoesNotSeeIt() throws Exception {
        Set<String> before;
        try (Connection c = fixture.app(); Statement s = c.createStatement()) {
            before = literals(s, "");
            assertThat(before).as("a session that set nothing: one collation, case-insensitive").hasSize(1)
                    .allSatisfy(row -> assertThat(row).endsWith("_ci/1"));
        }
        try (Connection c = fixture.app(); Statement s = c.createStatement()) {
            // A connection to g0 is pinned before the SET, the one to g1 after it.
            literals(s, " WHERE id = " + onG0);
            s.execute("SET NAMES utf8mb4 COLLATE utf8mb4_bin");
            assertThat(literals(s, "")).as("scatter read over both groups").containsExactly("utf8mb4_bin/0");
            assertThat(literals(s, " WHERE id = " + onG0)).containsExactly("utf8mb4_bin/0");
            assertThat(literals(s, " WHERE id = " + onG1)).containsExactly("utf8mb4_bin/0");

            s.execute("SET NAMES latin1 COLLATE latin1_general_cs");
            assertThat(literals(s, "")).containsExactly("latin1_general_cs/0");
            assertThat(literals(s, " WHERE id = " + onG1)).containsExactly("latin1_general_cs/0");
            assertThat(text(s, "SELECT @@character_set_results")).isEqualTo("latin1");
            assertThat(text(s, "SELECT name FROM customers WHERE id = " + onG1)).isEqualTo("n" + onG1);

            s.execute("SET collation_connection = utf8mb4_bin");
            assertThat(literals(s, "")).containsExactly("utf8mb4_bin/0");
        }
        try (Connection c = fixture.app(); Statement s = c.createStatement()) {
            assertThat(literals(s, "")).as("the next session, on the same pooled connections").isEqualTo(before);
            assertThat(literals(s, " WHERE id = " + onG1)).isEqualTo(before);
        }
    }

    @Test
    void charsetVariablesAmongOtherAssignmentsReachEveryGroupTogether() throws Exception {
        try (Connection c = fixture.app(); Statement s = c.createStatement()) {
            // A connection to g0 is pinned before the SET, the one to g1 after it.
            text(s, "SELECT name FROM customers WHERE id = " + onG0);
            s.execute("SET collation_connection = utf8mb4_bin, sql_mode = 'ANSI_QUOTES', @my_collation = 'x'");
            for (int id : new int[] {onG0, onG1}) {
                assertThat(text(s, "SELECT CONCAT(@@sql_mode, '/', COLLATION('x'), '/', @my_collation) FROM customers"
                        + " WHERE id = " + id)).as("on the group of " + id).isEqualTo("ANSI_QUOTES/utf8mb4_bin/x");
            }
            assertThat(literals(s, "")).containsExactly("utf8mb4_bin/0");
            // A user without admin has no global scope (1227, as MariaDB answers one without SUPER); the admin's would
            // reach one group's connection only (1235). Either way, nothing of the list is applied.
            assertThatThrownBy(() -> s.execute("SET sql_mode = '', @@global.collation_connection = utf8mb4_bin"))
                    .as("not half applied").isInstanceOfSatisfying(SQLException.class,
                            e -> assertThat(e.getErrorCode()).isEqualTo(1227));
            assertThat(text(s, "SELECT @@sql_mode FROM customers WHERE id = " + onG1)).isEqualTo("ANSI_QUOTES");
        }
        try (Connection c = fixture.connect("admin", "admin", "shop"); Statement s = c.createStatement()) {
            s.execute("SET sql_mode = 'ANSI_QUOTES'");
            assertThatThrownBy(() -> s.execute("SET sql_mode = '', @@global.collation_connection = utf8mb4_bin"))
                    .as("not half applied").isInstanceOfSatisfying(SQLException.class,
                            e -> assertThat(e.getErrorCode()).isEqualTo(1235));
            assertThat(text(s, "SELECT @@sql_mode FROM customers WHERE id = " + onG1)).isEqualTo("ANSI_QUOTES");
        }
    }

    @Test
    void sessionTransactionVariablesReachEveryGroup() throws Exception {
        for (String set : List.of("SET SESSION transaction_isolation = 'READ-COMMITTED'",
                "SET SESSION tx_isolation = 'READ-COMMITTED'", "SET @@SESSION.transaction_isolation = 'READ-COMMITTED'")) {
            try (Connection c = fixture.app(); Statement s = c.createStatement()) {
                // A connection to g0 is pinned before the SET, the one to g1 after it.
                text(s, "SELECT name FROM customers WHERE id = " + onG0);
                s.execute(set);
                assertThat(text(s, "SELECT @@tx_isolation FROM customers WHERE id = " + onG0)).as(set)
                        .isEqualTo("READ-COMMITTED");
                assertThat(text(s, "SELECT @@tx_isolation FROM customers WHERE id = " + onG1)).as(set)
                        .isEqualTo("READ-COMMITTED");
            }
        }
        try (Connection c = fixture.app(); Statement s = c.createStatement()) {
            assertThat(text(s, "SELECT @@tx_isolation FROM customers WHERE id = " + onG1)).as("the next session")
                    .isEqualTo("REPEATABLE-READ");
            assertThatThrownBy(() -> s.execute("SET GLOBAL transaction_isolation = 'READ-COMMITTED'"))
                    .as("no global scope without admin").isInstanceOfSatisfying(SQLException.class,
                            e -> assertThat(e.getErrorCode()).isEqualTo(1227));
        }
        try (Connection c = fixture.connect("admin", "admin", "shop"); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("SET GLOBAL transaction_isolation = 'READ-COMMITTED'"))
                    .as("it would reach one group only").isInstanceOfSatisfying(SQLException.class,
                            e -> assertThat(e.getErrorCode()).isEqualTo(1235));
        }
    }

    @Test
    void autocommitAmongOtherAssignmentsIsTheSessionsSoItsCommitCommits() throws Exception {
        try (Connection c = fixture.app(); Statement s = c.createStatement()) {
            s.execute("SET autocommit = 0, sql_mode = 'STRICT_ALL_TABLES'");
            assertThat(c.unwrap(com.mysql.cj.jdbc.JdbcConnection.class).getSession().getServerSession().isAutocommit())
                    .as("the OK's autocommit status flag").isFalse();
            s.executeUpdate("UPDATE customers SET name = 'committed' WHERE id = " + onG1);
            s.execute("COMMIT");
            assertThat(text(s, "SELECT @@sql_mode FROM customers WHERE id = " + onG0)).isEqualTo("STRICT_ALL_TABLES");
        }
        try (Connection c = fixture.app(); Statement s = c.createStatement()) {
            assertThat(text(s, "SELECT name FROM customers WHERE id = " + onG1)).as("the committed write")
                    .isEqualTo("committed");
            s.executeUpdate("UPDATE customers SET name = 'n" + onG1 + "' WHERE id = " + onG1);
            assertThatThrownBy(() -> s.execute("SET autocommit = 0, @v = (SELECT COUNT(*) FROM customers)"))
                    .as("refused (a table's rows are on several groups), not half applied")
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1235));
            text(s, "SELECT name FROM customers WHERE id = " + onG0);
            assertThat(c.unwrap(com.mysql.cj.jdbc.JdbcConnection.class).getSession().getServerSession().isAutocommit())
                    .as("autocommit still on").isTrue();
        }
    }

    /** Each row's {@code COLLATION('x')/('a' = 'A')}, distinct, over the data nodes the condition reaches. */
    private static Set<String> literals(Statement s, String where) throws SQLException {
        Set<String> seen = new TreeSet<>();
        try (ResultSet rows = s.executeQuery("SELECT id, COLLATION('x') AS c, 'a' = 'A' AS same FROM customers" + where)) {
            while (rows.next()) {
                seen.add(rows.getString("c") + "/" + rows.getInt("same"));
            }
        }
        assertThat(seen).isNotEmpty();
        return seen;
    }

    /**
     * Backends keep results unconverted (each column in its own charset and collation, which merges compare by); the
     * proxy converts text columns to the session's results charset and describes them so, as MariaDB does. A latin1
     * column reached non-Java clients as latin1 bytes (Python and Go failed to decode them).
     */
    @Test
    void textColumnsReachTheClientInItsResultsCharset() throws Exception {
        addCharsetColumns();
        // One node's read (relayed natively), then a merge over both groups; as the handshake set them, then after
        // SET NAMES.
        String sql = "SELECT nick FROM customers WHERE id = " + onG0
                + "; SELECT nick, tag FROM customers WHERE id IN (" + onG0 + ", " + onG1 + ") ORDER BY id";
        for (String script : List.of(sql, "SET NAMES latin1; SET NAMES utf8mb4; " + sql)) {
            MariaDbCli.Result cli = MariaDbCli.runWithCharset("utf8mb4", fixture.proxy.port(), "app", "app", "shop",
                    script);
            assertThat(cli.stderr()).as(cli.toString()).isEmpty();
            assertThat(cli.stdout()).as(script).isEqualTo(expectedOutput());
        }
        // A latin1 login gets the utf8mb4 column converted to latin1.
        MariaDbCli.Result latin1 = MariaDbCli.runWithCharset("latin1", fixture.proxy.port(), "app", "app", "shop",
                "SELECT tag, nick FROM customers WHERE id = " + onG1);
        assertThat(latin1.stdoutBytes()).as(latin1.toString())
                .isEqualTo(((onG1 % 2 == 0 ? "ü" : "Ü") + "\tcafé" + onG1 + "\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String expectedOutput() {
        return "café" + onG0 + "\ncafé" + onG0 + "\t" + (onG0 % 2 == 0 ? "ü" : "Ü")
                + "\ncafé" + onG1 + "\t" + (onG1 % 2 == 0 ? "ü" : "Ü") + "\n";
    }

    @Test
    void connectorJReadsEachColumnInItsOwnCharset() throws Exception {
        addCharsetColumns();
        // Connector/J sets character_set_results = NULL at connect and decodes each column by its own charset.
        List<String[]> settings = List.of(new String[0], new String[] {"useServerPrepStmts", "true"},
                new String[] {"characterEncoding", "latin1"},
                new String[] {"characterEncoding", "latin1", "useServerPrepStmts", "true"});
        for (String[] properties : settings) {
            String options = String.join("=", properties);
            try (Connection c = fixture.connect("app", "app", "shop", properties);
                 var read = c.prepareStatement("SELECT nick, name, @@character_set_results FROM customers WHERE id = ?")) {
                read.setInt(1, onG1);
                try (ResultSet rows = read.executeQuery()) {
                    rows.next();
                    assertThat(rows.getString(1)).as(options).isEqualTo("café" + onG1);
                    assertThat(rows.getString(2)).as(options).isEqualTo("n" + onG1);
                    assertThat(rows.getString(3)).as(options).isNull();
                    var metadata = rows.getMetaData().unwrap(com.mysql.cj.jdbc.result.ResultSetMetaData.class);
                    assertThat(metadata.getColumnCharacterEncoding(1)).as(options).isIn("WINDOWS-1252", "latin1");
                    assertThat(metadata.getColumnCharacterEncoding(2)).as(options).isEqualTo("UTF-8");
                }
            }
        }
    }

    /**
     * SET NAMES (MariaDB Connector/J sends it at connect) made the backends convert results, and MariaDB then
     * describes every text column with the results charset's default collation: merges compared a utf8mb4_bin column
     * case-insensitively.
     */
    @Test
    void setNamesLeavesMergesComparingByEachColumnsCollation() throws Exception {
        addCharsetColumns();
        try (Connection c = fixture.app(); Statement s = c.createStatement()) {
            s.execute("SET NAMES utf8mb4");
            assertThat(text(s, "SELECT COUNT(DISTINCT tag) FROM customers")).isEqualTo("2");
            List<String> groups = new ArrayList<>();
            try (ResultSet rows = s.executeQuery("SELECT tag, COUNT(*) FROM customers GROUP BY tag ORDER BY tag")) {
                while (rows.next()) {
                    groups.add(rows.getString(1) + "=" + rows.getInt(2));
                }
            }
            assertThat(groups).containsExactly("Ü=10", "ü=10");
        }
    }

    /** A latin1 column and a utf8mb4_bin one whose values differ only in case between even and odd ids. */
    private static void addCharsetColumns() throws SQLException {
        try (Connection c = fixture.app(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE customers ADD COLUMN IF NOT EXISTS nick VARCHAR(20) CHARACTER SET latin1,"
                    + " ADD COLUMN IF NOT EXISTS tag VARCHAR(10) COLLATE utf8mb4_bin");
            s.executeUpdate("UPDATE customers SET nick = CONCAT('café', id), tag = IF(id % 2 = 0, 'ü', 'Ü')");
        }
    }

    private static String text(Statement s, String sql) throws SQLException {
        try (ResultSet rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
