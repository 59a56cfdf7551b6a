package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mysql.cj.jdbc.JdbcConnection;
import io.shardwire.config.ServerConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * COM_CHANGE_USER with Connector/J's {@code changeUser}: the new user authenticates with either plugin, the old
 * session's transaction over two shard groups is rolled back (both XA branches), and its prepared statements, user
 * and session variables are gone; a wrong password gets 1045, a schema the new user may not use 1044, a user at its
 * connection limit 1203, each closing the connection as MySQL does; the old user's connection is counted no more.
 */
class ChangeUserIT {

    private static final int MAX_USER_CONNECTIONS = 3;

    private static ProxyFixture fixture;
    private static final List<Integer> onG0 = new ArrayList<>();
    private static final List<Integer> onG1 = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        fixture = ProxyFixture.start("change-user", 2, ServerConfig.AuthPlugin.MYSQL_NATIVE_PASSWORD,
                "  maxUserConnections: " + MAX_USER_CONNECTIONS + "\n",
                "  - name: vault\n    defaultShardGroup: g0\n",
                "    - {name: guest, password: guest, schemas: [vault]}\n");
        try (Connection c = fixture.app(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS shop");
            s.execute("CREATE DATABASE IF NOT EXISTS vault");
            s.execute("DROP TABLE IF EXISTS customers");
            s.execute("CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(20))");
            for (int id = 1; id <= 20; id++) {
                try (ResultSet plan = s.executeQuery("EXPLAIN SHARDWIRE SELECT * FROM customers WHERE id = " + id)) {
                    plan.next();
                    (plan.getString(5).equals("g0") ? onG0 : onG1).add(id);
                }
            }
        }
        assertThat(onG0).isNotEmpty();
        assertThat(onG1).isNotEmpty();
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void theNewUserGetsAFreshSessionAndTheOldTransactionIsRolledBack() throws Exception {
        int a = onG0.getFirst();
        int b = onG1.getFirst();
        try (Connection c = fixture.connect("app", "app", "shop", "useServerPrepStmts", "true");
             Statement s = c.createStatement()) {
            PreparedStatement select = c.prepareStatement("SELECT name FROM customers WHERE id = ?");
            s.execute("SET @marker = 7");
            s.execute("SET SESSION sql_mode = 'ANSI_QUOTES'");
            c.setAutoCommit(false);
            s.executeUpdate("INSERT INTO customers (id, name) VALUES (" + a + ", 'a'), (" + b + ", 'b')");
            assertThat(count(c, a, b)).as("the transaction sees its rows on both groups").isEqualTo(2);

            ((JdbcConnection) c).changeUser("admin", "admin");

            c.setAutoCommit(true);
            assertThat(text(s, "SELECT USER()")).startsWith("admin@");
            assertThat(text(s, "SELECT @marker")).as("user variable").isNull();
            assertThat(text(s, "SELECT @@sql_mode")).as("session variable").doesNotContain("ANSI_QUOTES");
            assertThat(text(s, "SELECT DATABASE()")).isEqualTo("shop");
            assertThat(count(c, a, b)).as("the old transaction's rows").isZero();
            select.setInt(1, a);
            assertThatThrownBy(select::executeQuery).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getErrorCode()).as(e.getMessage()).isEqualTo(1243));
        }
        try (Connection direct0 = fixture.cluster.group("g0").primary().connect();
             Connection direct1 = fixture.cluster.group("g1").primary().connect()) {
            for (Connection direct : List.of(direct0, direct1)) {
                try (Statement s = direct.createStatement(); ResultSet xa = s.executeQuery("XA RECOVER")) {
                    assertThat(xa.next()).as("no XA branch left prepared").isFalse();
                }
            }
        }
        try (Connection c = fixture.app()) {
            assertThat(count(c, a, b)).as("nothing was committed").isZero();
        }
    }

    @Test
    void cachingSha2PasswordAndBackAgain() throws Exception {
        try (Connection c = fixture.connect("app", "app", "shop", "defaultAuthenticationPlugin", "caching_sha2_password");
             Statement s = c.createStatement()) {
            ((JdbcConnection) c).changeUser("admin", "admin");
            assertThat(text(s, "SELECT CURRENT_USER()")).isEqualTo("admin@%");
            ((JdbcConnection) c).changeUser("app", "app");
            assertThat(text(s, "SELECT CURRENT_USER()")).isEqualTo("app@%");
            assertThat(text(s, "SELECT COUNT(*) FROM customers")).isNotNull();
        }
    }

    @Test
    void aWrongPasswordGets1045AndClosesTheConnection() throws Exception {
        try (Connection c = fixture.app()) {
            assertThatThrownBy(() -> ((JdbcConnection) c).changeUser("admin", "wrong"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(1045);
                        assertThat(e.getMessage()).contains("Access denied for user 'admin'");
                    });
            assertThat(c.isValid(5)).as("the connection is closed").isFalse();
        }
    }

    @Test
    void aSchemaTheNewUserMayNotUseGets1044() throws Exception {
        try (Connection c = fixture.app()) {
            assertThatThrownBy(() -> ((JdbcConnection) c).changeUser("guest", "guest"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(1044);
                        assertThat(e.getMessage()).contains("'guest'").contains("'shop'");
                    });
            assertThat(c.isValid(5)).isFalse();
        }
        try (Connection c = fixture.connect("guest", "guest", "vault"); Statement s = c.createStatement()) {
            ((JdbcConnection) c).changeUser("app", "app");
            assertThat(text(s, "SELECT DATABASE()")).isEqualTo("vault");
        }
    }

    @Test
    void connectionLimitsCountTheUserLoggedInNow() throws Exception {
        List<Connection> admins = new ArrayList<>();
        try (Connection app = fixture.app()) {
            for (int i = 0; i < MAX_USER_CONNECTIONS; i++) {
                admins.add(fixture.connect("admin", "admin", "shop"));
            }
            assertThatThrownBy(() -> ((JdbcConnection) app).changeUser("admin", "admin"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1203));
            assertThat(app.isValid(5)).isFalse();

            // An admin connection that becomes app's frees its admin slot at once.
            ((JdbcConnection) admins.getFirst()).changeUser("app", "app");
            try (Connection another = fixture.connect("admin", "admin", "shop"); Statement s = another.createStatement()) {
                assertThat(text(s, "SELECT CURRENT_USER()")).isEqualTo("admin@%");
            }
        } finally {
            for (Connection admin : admins) {
                admin.close();
            }
        }
    }

    private static long count(Connection c, int a, int b) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM customers WHERE id IN (" + a + ", " + b + ")")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String text(Statement s, String sql) throws SQLException {
        try (ResultSet rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
