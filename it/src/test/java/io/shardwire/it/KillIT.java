package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** KILL names proxy connection ids, never backend threads; a client that leaves stops its statement. */
class KillIT {

    private static ProxyFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = ProxyFixture.start("kill", 1);
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static long connectionId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
        }
        // The handshake's connection id is the proxy's; Connector/J keeps it.
        return c.unwrap(com.mysql.cj.jdbc.JdbcConnection.class).getId();
    }

    private static CompletableFuture<Throwable> sleepIn(Connection c, int seconds) {
        return CompletableFuture.supplyAsync(() -> {
            try (Statement s = c.createStatement()) {
                s.executeQuery("SELECT SLEEP(" + seconds + ")").close();
                return null;
            } catch (SQLException e) {
                return e;
            }
        });
    }

    private static int sleepersOnTheBackend() throws SQLException {
        try (Connection direct = fixture.cluster.group("g0").primary().connect(); Statement s = direct.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.processlist WHERE info LIKE 'SELECT SLEEP(%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void killQueryStopsTheStatementAndKeepsTheConnection() throws Exception {
        try (Connection victim = fixture.app(); Connection killer = fixture.app()) {
            long id = connectionId(victim);
            CompletableFuture<Throwable> sleeping = sleepIn(victim, 60);
            await().atMost(Duration.ofSeconds(20)).until(() -> sleepersOnTheBackend() == 1);
            killer.createStatement().execute("KILL QUERY " + id);
            Throwable outcome = sleeping.get(20, TimeUnit.SECONDS);
            assertThat(outcome).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1317));
            try (ResultSet rs = victim.createStatement().executeQuery("SELECT 5")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(5);
            }
        }
    }

    @Test
    void aBackendConnectionAKillQueryWasSentForIsClosedNotPooled() throws Exception {
        long backendThread;
        try (Connection victim = fixture.app(); Connection killer = fixture.app()) {
            long id = connectionId(victim);
            CompletableFuture<Throwable> sleeping = sleepIn(victim, 60);
            await().atMost(Duration.ofSeconds(20)).until(() -> sleepersOnTheBackend() == 1);
            backendThread = backendThreads("SELECT SLEEP(%").getFirst();
            killer.createStatement().execute("KILL QUERY " + id);
            assertThat(sleeping.get(20, TimeUnit.SECONDS)).isInstanceOf(SQLException.class);
            try (ResultSet rs = victim.createStatement().executeQuery("SELECT 5")) {
                assertThat(rs.next()).isTrue();
            }
        }
        // A KILL QUERY that lands after its statement ended stops the connection's next one: whoever takes it next.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(backendThreads("%")).as("backend threads").doesNotContain(backendThread));
    }

    /** The ids of the backend's connections whose statement text is like {@code pattern} (% for every one). */
    private static List<Long> backendThreads(String pattern) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection direct = fixture.cluster.group("g0").primary().connect();
             PreparedStatement s = direct.prepareStatement(
                     "SELECT id FROM information_schema.processlist WHERE COALESCE(info, '') LIKE ?")) {
            s.setString(1, pattern);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    @Test
    void sessionFunctionsDescribeTheClientsSessionAndConnectionIdIsTheOneKillTakes() throws Exception {
        try (Connection victim = fixture.app(); Connection killer = fixture.app()) {
            long id;
            try (Statement s = victim.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID(), USER(),"
                    + " CURRENT_USER(), DATABASE(), @@version, @@version_comment")) {
                assertThat(rs.next()).isTrue();
                id = rs.getLong(1);
                assertThat(id).isEqualTo(connectionId(victim));
                assertThat(rs.getMetaData().getColumnLabel(1)).isEqualTo("CONNECTION_ID()");
                assertThat(rs.getString(2)).isEqualTo("app@127.0.0.1");
                assertThat(rs.getString(3)).isEqualTo("app@%");
                assertThat(rs.getString(4)).isEqualTo("shop");
                assertThat(rs.getString(5)).isEqualTo("11.4.5-MariaDB-Shardwire-0.1.0")
                        .isEqualTo(victim.getMetaData().getDatabaseProductVersion());
                assertThat(rs.getString(6)).isEqualTo("Shardwire sharding proxy");
            }
            killer.createStatement().execute("KILL " + id);
            await().atMost(Duration.ofSeconds(30)).until(() -> !victim.isValid(5));
        }
    }

    @Test
    void aPreparedDatabaseIsTheLogicalSchemaAtEachExecute() throws Exception {
        try (Connection c = fixture.connect("app", "app", "", "useServerPrepStmts", "true");
             PreparedStatement select = c.prepareStatement("SELECT DATABASE(), SCHEMA() AS s, ?")) {
            select.setInt(1, 7);
            assertThat(row(select)).as("no database selected").containsExactly(null, null, "7");
            c.createStatement().execute("USE shop");
            assertThat(row(select)).as("after USE").containsExactly("shop", "shop", "7");
            assertThat(select.getMetaData().getColumnLabel(2)).isEqualTo("s");
        }
        try (Connection c = fixture.connect("app", "app", "shop", "useServerPrepStmts", "true");
             PreparedStatement select = c.prepareStatement("SELECT DATABASE()")) {
            assertThat(row(select)).containsExactly("shop");
            assertThat(select.getMetaData().getColumnLabel(1)).isEqualTo("DATABASE()");
        }
    }

    private static List<String> row(PreparedStatement select) throws SQLException {
        try (ResultSet rs = select.executeQuery()) {
            assertThat(rs.next()).isTrue();
            List<String> row = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                row.add(rs.getString(i));
            }
            assertThat(rs.next()).isFalse();
            return row;
        }
    }

    @Test
    void killConnectionClosesIt() throws Exception {
        try (Connection victim = fixture.app(); Connection killer = fixture.app()) {
            long id = connectionId(victim);
            killer.createStatement().execute("KILL " + id);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThatThrownBy(() -> victim.createStatement().executeQuery("SELECT 1"))
                            .isInstanceOf(SQLException.class));
        }
    }

    @Test
    void onlyOwnersAndAdminsMayKill() throws Exception {
        try (Connection admin = fixture.connect("admin", "admin", "shop"); Connection app = fixture.app()) {
            long adminId = connectionId(admin);
            assertThatThrownBy(() -> app.createStatement().execute("KILL QUERY " + adminId))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1095));
            assertThatThrownBy(() -> app.createStatement().execute("KILL 999999"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1094));
            admin.createStatement().execute("KILL QUERY " + connectionId(app));
        }
    }

    @Test
    void aClientThatLeavesMidStatementStopsItOnTheBackend() throws Exception {
        Connection leaving = fixture.app();
        sleepIn(leaving, 120);
        await().atMost(Duration.ofSeconds(20)).until(() -> sleepersOnTheBackend() == 1);
        leaving.abort(Runnable::run);
        await().atMost(Duration.ofSeconds(20)).until(() -> sleepersOnTheBackend() == 0);
    }
}
