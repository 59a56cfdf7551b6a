package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CRUD, errors and isolation through the proxy, with Connector/J, against real shard groups. */
class ProxyBasicsIT {

    private static ProxyFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = ProxyFixture.start("basics", 2);
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void createInsertUpdateDeleteSelect() throws Exception {
        try (Connection c = fixture.app(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS crud");
            s.execute("CREATE TABLE crud (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(50), amount DECIMAL(10,2))");
            assertThat(s.executeUpdate("INSERT INTO crud (name, amount) VALUES ('a', 1.50), ('b', 2.25), ('c', 3.00)"))
                    .isEqualTo(3);
            assertThat(s.executeUpdate("UPDATE crud SET amount = amount * 2 WHERE name IN ('a', 'b')")).isEqualTo(2);
            assertThat(s.executeUpdate("DELETE FROM crud WHERE name = 'c'")).isEqualTo(1);
            try (ResultSet rs = s.executeQuery("SELECT id, name, amount FROM crud ORDER BY id")) {
                List<String> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(rs.getInt(1) + "|" + rs.getString(2) + "|" + rs.getBigDecimal(3));
                }
                assertThat(rows).containsExactly("1|a|3.00", "2|b|4.50");
            }
        }
    }

    @Test
    void generatedKeysAndAffectedRowsAsOnMariaDb() throws Exception {
        try (Connection c = fixture.app(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS keys_t");
            s.execute("CREATE TABLE keys_t (id BIGINT PRIMARY KEY AUTO_INCREMENT, v INT)");
            s.executeUpdate("INSERT INTO keys_t (v) VALUES (10)", Statement.RETURN_GENERATED_KEYS);
            try (ResultSet keys = s.getGeneratedKeys()) {
                assertThat(keys.next()).isTrue();
                assertThat(keys.getLong(1)).isEqualTo(1);
            }
            // Connector/J asks for CLIENT_FOUND_ROWS: an UPDATE that changes nothing still counts the matched row.
            assertThat(s.executeUpdate("UPDATE keys_t SET v = 10 WHERE id = 1")).isEqualTo(1);
        }
        try (Connection c = fixture.connect("app", "app", "shop", "useAffectedRows", "true"); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("UPDATE keys_t SET v = 10 WHERE id = 1")).isZero();
        }
    }

    @Test
    void typedValuesArriveAsTheBackendSentThem() throws Exception {
        String create = "CREATE TABLE typed (id INT PRIMARY KEY, d DECIMAL(20,6), dt DATETIME(3), day DATE, t TIME,"
                + " f DOUBLE, b VARBINARY(8), bits BIT(5), u BIGINT UNSIGNED, e ENUM('x','y'), j JSON, n VARCHAR(5))";
        String insert = "INSERT INTO typed VALUES (1, 12345678901234.123456, '2026-11-26 10:11:12.345', '2026-02-28',"
                + " '-838:59:59', 1.5e300, x'00ff10', b'10101', 18446744073709551615, 'y', '{\"a\": [1, 2]}', NULL)";
        try (Connection c = fixture.app(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS typed");
            s.execute(create);
            s.execute(insert);
        }
        List<String> viaProxy = readTyped(fixture.app());
        Connection direct = fixture.cluster.group("g0").primary().connect();
        direct.setCatalog("shop");
        assertThat(viaProxy).isEqualTo(readTyped(direct)).hasSize(24);
        assertThat(viaProxy.get(1)).isEqualTo("12345678901234.123456");
        assertThat(viaProxy.get(4)).isEqualTo("-838:59:59");
        assertThat(viaProxy.get(11)).isEqualTo("null");
    }

    /** Each column's value as Connector/J reads it, then each column's type metadata. */
    private static List<String> readTyped(Connection c) throws SQLException {
        try (c; Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM typed")) {
            assertThat(rs.next()).isTrue();
            var meta = rs.getMetaData();
            List<String> values = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                boolean binary = switch (meta.getColumnType(i)) {
                    case java.sql.Types.BINARY, java.sql.Types.VARBINARY, java.sql.Types.BIT -> true;
                    default -> false;
                };
                values.add(binary ? java.util.HexFormat.of().formatHex(rs.getBytes(i)) : String.valueOf(rs.getString(i)));
            }
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                values.add(meta.getColumnTypeName(i) + "/" + meta.getPrecision(i) + "/" + meta.getScale(i)
                        + "/" + meta.isNullable(i) + "/" + meta.getColumnClassName(i));
            }
            return values;
        }
    }

    @Test
    void autocommitAndTheOpenTransactionReadAsTheSessionsOwn() throws Exception {
        try (Connection c = fixture.app(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS txn_state");
            s.execute("CREATE TABLE txn_state (id INT PRIMARY KEY)");
            // Right after the SET no backend has heard of it: the proxy keeps autocommit itself.
            s.execute("SET autocommit = 0");
            assertThat(single(s, "SELECT @@autocommit")).isEqualTo("0");
            try (ResultSet rs = s.executeQuery("SHOW VARIABLES LIKE 'autocommit'")) {
                rs.next();
                assertThat(rs.getString(2)).isEqualTo("OFF");
            }
            assertThat(single(s, "SELECT @@in_transaction")).isEqualTo("0");
            s.executeQuery("SELECT COUNT(*) FROM txn_state").close();
            assertThat(single(s, "SELECT @@in_transaction")).isEqualTo("1");
            s.execute("ROLLBACK");
            s.execute("SET autocommit = 1");
            assertThat(single(s, "SELECT @@autocommit")).isEqualTo("1");
            s.execute("BEGIN");
            assertThat(single(s, "SELECT @@session.in_transaction")).isEqualTo("1");
            s.execute("COMMIT");
            assertThat(single(s, "SELECT @@in_transaction")).isEqualTo("0");
        }
    }

    @Test
    void setTransactionIsForTheNextTransactionOnly() throws Exception {
        try (Connection c = fixture.app(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS once_t");
            s.execute("CREATE TABLE once_t (id INT PRIMARY KEY, v INT)");
            s.execute("INSERT INTO once_t VALUES (1, 0)");
            // An autocommit statement is the next transaction: a later one is not read-only.
            s.execute("SET TRANSACTION READ ONLY");
            single(s, "SELECT COUNT(*) FROM once_t");
            s.execute("START TRANSACTION");
            assertThat(s.executeUpdate("UPDATE once_t SET v = 1 WHERE id = 1")).isEqualTo(1);
            s.execute("COMMIT");
            // So is a transaction that ran nothing.
            s.execute("SET TRANSACTION READ ONLY");
            s.execute("START TRANSACTION");
            s.execute("COMMIT");
            s.execute("START TRANSACTION");
            assertThat(s.executeUpdate("UPDATE once_t SET v = 2 WHERE id = 1")).isEqualTo(1);
            s.execute("COMMIT");
            // The next transaction itself is read-only.
            s.execute("SET TRANSACTION READ ONLY");
            s.execute("START TRANSACTION");
            assertThatThrownBy(() -> s.executeUpdate("UPDATE once_t SET v = 3 WHERE id = 1"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1792));
            s.execute("ROLLBACK");
        }
    }

    @Test
    void aConvertOfACallWithoutArgumentsRunsAsWritten() throws Exception {
        try (Connection c = fixture.app(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS convert_t");
            s.execute("CREATE TABLE convert_t (id INT PRIMARY KEY, uuid VARCHAR(40))");
            s.execute("INSERT INTO convert_t VALUES (1, 'old')");
            // JSqlParser writes CONVERT(UUID(), CHAR) back as CONVERT( UUID, CHAR ): the column, set to itself.
            assertThat(s.executeUpdate("UPDATE convert_t SET uuid = CONVERT(UUID(), CHAR) WHERE id = 1")).isEqualTo(1);
            assertThat(single(s, "SELECT uuid FROM convert_t WHERE id = 1")).hasSize(36);
            assertThat(single(s, "SELECT CONVERT(NOW(), DATE) = CURDATE()")).isEqualTo("1");
        }
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aWriteOnThePrimaryReachesItsReplica() throws Exception {
        try (Connection c = fixture.app(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS replicated");
            s.execute("CREATE TABLE replicated (id INT PRIMARY KEY, note VARCHAR(20))");
            s.execute("INSERT INTO replicated VALUES (7, 'seen on replica')");
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            try (Connection replica = fixture.cluster.group("g0").replicas().getFirst().connect();
                 Statement s = replica.createStatement();
                 ResultSet rs = s.executeQuery("SELECT note FROM shop.replicated WHERE id = 7")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("seen on replica");
            }
        });
    }

    @Test
    void wrongPasswordIsAccessDenied() {
        assertThatThrownBy(() -> fixture.connect("app", "wrong", "shop").close())
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(1045);
                    assertThat(e.getSQLState()).isEqualTo("28000");
                    assertThat(e.getMessage()).contains("Access denied for user 'app'");
                });
        assertThatThrownBy(() -> fixture.connect("nobody", "app", "shop").close())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1045));
    }

    @Test
    void unknownSchemaAndForeignSchemaAreRefused() throws Exception {
        assertThatThrownBy(() -> fixture.connect("app", "app", "nosuchdb").close())
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(1049);
                    assertThat(e.getMessage()).contains("Unknown database 'nosuchdb'");
                });
        try (Connection c = fixture.app(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("SELECT * FROM mysql.user"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1049));
            assertThatThrownBy(() -> s.execute("USE nosuchdb"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1049));
        }
    }

    /** JSqlParser's time grows steeply with nesting: such a statement goes to the backend unparsed instead. */
    @Test
    // In a thread of its own: a read blocked on the socket would not notice the time-out (it kept parsing for minutes).
    @org.junit.jupiter.api.Timeout(value = 120, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aStatementNestedTooDeeplyToParseIsAnsweredAndTheSessionGoesOn() throws Exception {
        String deep = "SELECT " + "(".repeat(20_000) + "1" + ")".repeat(20_000) + " AS x";
        try (Connection c = fixture.app(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery(deep)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT 1 + 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
        }
    }

    @Test
    void backendErrorsPassThroughWithTheirCodes() throws Exception {
        try (Connection c = fixture.app(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("SELECT * FROM no_such_table"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(1146);
                        assertThat(e.getSQLState()).isEqualTo("42S02");
                        assertThat(e.getMessage()).contains("no_such_table");
                    });
            assertThatThrownBy(() -> s.execute("SELEC 1"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(1064);
                        assertThat(e.getSQLState()).isEqualTo("42000");
                    });
            // The session is still usable after errors.
            try (ResultSet rs = s.executeQuery("SELECT 1 + 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
        }
    }

    @Test
    void showDatabasesListsOnlyTheUsersSchemas() throws Exception {
        try (Connection c = fixture.app(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW DATABASES")) {
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            assertThat(names).containsExactly("information_schema", "shop");
        }
    }

    @Test
    void sessionStateStaysOnTheSessionsBackendConnection() throws Exception {
        try (Connection c = fixture.app(); Statement s = c.createStatement()) {
            s.execute("SET @shardwire_marker = 42");
            try (ResultSet rs = s.executeQuery("SELECT @shardwire_marker")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
        }
        // A new session must not inherit it, even on a reused pooled backend connection.
        try (Connection c = fixture.app(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @shardwire_marker")) {
            rs.next();
            assertThat(rs.getObject(1)).isNull();
        }
    }

    @Test
    void aClientThatLeavesMidResultDoesNotDisturbOtherSessions() throws Exception {
        Connection leaving = fixture.app();
        Statement streaming = leaving.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        streaming.setFetchSize(Integer.MIN_VALUE);
        ResultSet big = streaming.executeQuery("SELECT seq, REPEAT('x', 200) FROM seq_1_to_50000000");
        for (int i = 0; i < 1000; i++) {
            assertThat(big.next()).isTrue();
        }
        leaving.abort(Executors.newSingleThreadExecutor());

        try (Connection other = fixture.app(); PreparedStatement ps = other.prepareStatement("SELECT COUNT(*) FROM seq_1_to_1000")) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1000);
            }
        }
        // The abandoned query stops on the backend instead of streaming 50 million rows (10 GB) to nobody.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            try (Connection direct = fixture.cluster.group("g0").primary().connect();
                 Statement s = direct.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.processlist"
                         + " WHERE info LIKE 'SELECT seq, REPEAT%'")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        });
    }

    @Test
    void manySessionsAtOnce() throws Exception {
        try (var pool = Executors.newFixedThreadPool(8)) {
            List<java.util.concurrent.Future<BigDecimal>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    try (Connection c = fixture.app(); Statement s = c.createStatement();
                         ResultSet rs = s.executeQuery("SELECT SUM(seq) FROM seq_1_to_" + (1000 + n))) {
                        rs.next();
                        return rs.getBigDecimal(1);
                    }
                }));
            }
            for (int i = 0; i < results.size(); i++) {
                long n = 1000 + i;
                assertThat(results.get(i).get()).isEqualByComparingTo(BigDecimal.valueOf(n * (n + 1) / 2));
            }
        }
    }
}
