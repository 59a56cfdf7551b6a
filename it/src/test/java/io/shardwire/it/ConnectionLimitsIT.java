package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shardwire.config.ServerConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code maxConnections}, {@code maxUserConnections}, {@code idleTimeoutSeconds} and {@code maxAllowedPacket} with
 * real clients: errors 1040, 1203, 4031 and 1153 as MySQL sends them.
 */
class ConnectionLimitsIT {

    private static final int MAX_CONNECTIONS = 4;
    private static final int MAX_USER_CONNECTIONS = 2;
    private static final int IDLE_TIMEOUT_SECONDS = 3;
    private static final int MAX_ALLOWED_PACKET = 1024 * 1024;
    private static ProxyFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = ProxyFixture.start("limits", 1, ServerConfig.AuthPlugin.MYSQL_NATIVE_PASSWORD,
                "  maxConnections: " + MAX_CONNECTIONS + "\n  maxUserConnections: " + MAX_USER_CONNECTIONS
                        + "\n  idleTimeoutSeconds: " + IDLE_TIMEOUT_SECONDS
                        + "\n  maxAllowedPacket: " + MAX_ALLOWED_PACKET + "\n");
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void packetsOverMaxAllowedPacketGetError1153AndDriversSeeTheLimit() throws Exception {
        try (Connection c = fixture.app(); java.sql.Statement s = c.createStatement()) {
            try (ResultSet rows = s.executeQuery("SELECT @@max_allowed_packet, @@session.max_allowed_packet")) {
                rows.next();
                assertThat(rows.getLong(1)).isEqualTo(MAX_ALLOWED_PACKET);
                assertThat(rows.getLong(2)).isEqualTo(MAX_ALLOWED_PACKET);
            }
            try (ResultSet rows = s.executeQuery("SHOW VARIABLES LIKE 'max_allowed_packet'")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("max_allowed_packet");
                assertThat(rows.getLong(2)).isEqualTo(MAX_ALLOWED_PACKET);
                assertThat(rows.next()).isFalse();
            }
            // The shards' 64 MiB would not pass this condition; the proxy's 1 MiB does.
            try (ResultSet rows = s.executeQuery("SHOW GLOBAL VARIABLES WHERE Variable_name LIKE 'max_allowed%'"
                    + " AND Value < 2000000")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("max_allowed_packet");
                assertThat(rows.getLong(2)).isEqualTo(MAX_ALLOWED_PACKET);
                assertThat(rows.next()).isFalse();
            }
            // Connector/J read the limit at connect (the shards allow more) and refuses a larger statement itself.
            String tooLong = "SELECT '" + "x".repeat(MAX_ALLOWED_PACKET) + "'";
            assertThatThrownBy(() -> s.executeQuery(tooLong)).hasMessageContaining("max_allowed_packet");
        }
        try (RawMySQLClient client = RawMySQLClient.login(fixture.proxy.port(), "app", "app", "shop")) {
            byte[] fits = ("SELECT '" + "y".repeat(MAX_ALLOWED_PACKET - 100) + "'").getBytes();
            client.send(0x03, fits);
            assertThat(client.readUntilEnd().getLast().isEof()).as("a statement just under the limit runs").isTrue();
            assertThat(client.readUntilEnd().getLast().isEof()).as("its row, then the end").isTrue();
            try {
                client.send(0x03, ("SELECT '" + "z".repeat(MAX_ALLOWED_PACKET) + "'").getBytes());
            } catch (java.net.SocketException e) {
                // The proxy answers from the packet's header and closes, as MySQL does, so the rest of a large packet
                // may meet a reset; the answer sent before it is still there to read.
            }
            RawMySQLClient.Packet error = client.read();
            assertThat(error.isErr()).isTrue();
            assertThat(error.errorCode()).isEqualTo(1153);
            assertThat(error.errorMessage()).contains("max_allowed_packet");
            assertThat(client.isClosedByServer()).isTrue();
        }
        MariaDbCli.Result cli = MariaDbCli.run(fixture.proxy.port(), "app", "app", "shop",
                "SELECT @@max_allowed_packet; SHOW VARIABLES LIKE 'max\\_allowed\\_packet'");
        assertThat(cli.exitCode()).as(cli.stderr()).isZero();
        assertThat(cli.stdout()).isEqualTo(MAX_ALLOWED_PACKET + "\nmax_allowed_packet\t" + MAX_ALLOWED_PACKET + "\n");
    }

    /**
     * The limit the proxy enforces is the one every form of SHOW VARIABLES shows: comments anywhere, and server-side
     * prepared (Connector/J's useServerPrepStmts), with a placeholder in its WHERE condition too.
     */
    @Test
    void everyFormOfShowVariablesShowsTheProxysLimit() throws Exception {
        try (Connection c = fixture.connect("app", "app", "shop", "useServerPrepStmts", "true");
             java.sql.Statement s = c.createStatement()) {
            for (String text : List.of("SHOW /* x */ VARIABLES LIKE 'max_allowed%'",
                    "/* leading */ SHOW VARIABLES LIKE 'max_allowed%'",
                    "SHOW -- line\n GLOBAL # hash\n VARIABLES/**/LIKE'max_allowed%'",
                    "SHOW /*!40000 SESSION */ VARIABLES /*! LIKE 'max_allowed%' */",
                    "SHOW VARIABLES WHERE/* the shards' 64 MiB fails this */Variable_name LIKE 'max_allowed%'"
                            + " AND Value < 2000000")) {
                try (ResultSet rows = s.executeQuery(text)) {
                    assertOnlyTheProxysLimit(rows, text);
                }
            }
            for (String text : List.of("SHOW VARIABLES LIKE 'max_allowed_packet'",
                    "SHOW /* x */ SESSION VARIABLES WHERE Variable_name LIKE 'max_allowed%' AND Value < 2000000")) {
                try (java.sql.PreparedStatement prepared = c.prepareStatement(text)) {
                    assertThat(prepared.isWrapperFor(com.mysql.cj.jdbc.ServerPreparedStatement.class))
                            .as("prepared on the server: %s", text).isTrue();
                    for (int run = 0; run < 2; run++) {
                        try (ResultSet rows = prepared.executeQuery()) {
                            assertOnlyTheProxysLimit(rows, text);
                        }
                    }
                }
            }
            try (java.sql.PreparedStatement prepared = c.prepareStatement(
                    "SHOW VARIABLES WHERE Variable_name = ? AND Value > ?")) {
                prepared.setString(1, "max_allowed_packet");
                prepared.setLong(2, MAX_ALLOWED_PACKET - 1);
                try (ResultSet rows = prepared.executeQuery()) {
                    assertOnlyTheProxysLimit(rows, "a WHERE condition with placeholders");
                }
                // The shards' 64 MiB passes this condition; the proxy's 1 MiB does not.
                prepared.setLong(2, 2_000_000);
                try (ResultSet rows = prepared.executeQuery()) {
                    assertThat(rows.next()).as("no row over 2000000 with placeholders").isFalse();
                }
            }
        }
    }

    /** {@code @@max_allowed_packet} server-side prepared answers the proxy's limit, as the text form does. */
    @Test
    void preparedMaxAllowedPacketIsTheProxys() throws Exception {
        try (Connection c = fixture.connect("app", "app", "shop", "useServerPrepStmts", "true");
             java.sql.PreparedStatement prepared = c.prepareStatement(
                     "SELECT @@max_allowed_packet, @@global.max_allowed_packet AS g, ?")) {
            assertThat(prepared.isWrapperFor(com.mysql.cj.jdbc.ServerPreparedStatement.class)).isTrue();
            prepared.setInt(1, 5);
            try (ResultSet rows = prepared.executeQuery()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getLong(1)).isEqualTo(MAX_ALLOWED_PACKET);
                assertThat(rows.getLong("g")).isEqualTo(MAX_ALLOWED_PACKET);
                assertThat(rows.getInt(3)).isEqualTo(5);
            }
        }
    }

    private static void assertOnlyTheProxysLimit(ResultSet rows, String statement) throws SQLException {
        assertThat(rows.next()).as(statement).isTrue();
        assertThat(rows.getString(1)).as(statement).isEqualTo("max_allowed_packet");
        assertThat(rows.getLong(2)).as(statement).isEqualTo(MAX_ALLOWED_PACKET);
        assertThat(rows.next()).as(statement).isFalse();
    }

    @Test
    void aUserPastMaxUserConnectionsGetsError1203AndOthersStillConnect() throws Exception {
        List<Connection> open = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_USER_CONNECTIONS; i++) {
                open.add(fixture.app());
            }
            assertThatThrownBy(() -> fixture.app().close()).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getErrorCode()).isEqualTo(1203);
                assertThat(e.getSQLState()).isEqualTo("42000");
                assertThat(e.getMessage()).contains("User app already has more than 'max_user_connections'");
            });
            try (Connection admin = fixture.connect("admin", "admin", "")) {
                assertThat(admin.isValid(5)).isTrue();
            }
            open.removeFirst().close();
            // The slot frees when the proxy sees the close.
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                fixture.app().close();
                return true;
            });
        } finally {
            for (Connection c : open) {
                c.close();
            }
        }
    }

    @Test
    void connectionsPastMaxConnectionsGetError1040() throws Exception {
        List<Connection> open = new ArrayList<>();
        try {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                open.add(fixture.app());
                return open.size() == MAX_USER_CONNECTIONS;
            });
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                open.add(fixture.connect("admin", "admin", ""));
                return open.size() == MAX_CONNECTIONS;
            });
            assertThatThrownBy(() -> fixture.connect("admin", "admin", "").close())
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(1040);
                        assertThat(e.getSQLState()).isEqualTo("08004");
                        assertThat(e.getMessage()).contains("Too many connections");
                    });
            try (ResultSet rs = open.getFirst().createStatement().executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
        } finally {
            for (Connection c : open) {
                c.close();
            }
        }
    }

    @Test
    void anIdleClientGetsError4031AndIsDisconnectedWhileABusyOneIsNot() throws Exception {
        // Earlier tests' connections free their slots once the proxy sees them close.
        RawMySQLClient idleClient = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> RawMySQLClient.login(fixture.proxy.port(), "app", "app", "shop"), c -> true);
        Connection busyClient = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> fixture.connect("admin", "admin", ""), c -> true);
        try (RawMySQLClient idle = idleClient; Connection busy = busyClient) {
            // A statement that runs longer than the idle timeout is not idle time.
            CompletableFuture<Integer> sleep = CompletableFuture.supplyAsync(() -> {
                try (ResultSet rs = busy.createStatement().executeQuery(
                        "SELECT SLEEP(" + (IDLE_TIMEOUT_SECONDS + 2) + ")")) {
                    rs.next();
                    return rs.getInt(1);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });

            RawMySQLClient.Packet packet = idle.read();
            assertThat(packet.isErr()).isTrue();
            assertThat(packet.errorMessage()).contains("disconnected by the server because of inactivity");
            assertThat(packet.payload()[1] & 0xFF | (packet.payload()[2] & 0xFF) << 8).isEqualTo(4031);
            assertThat(idle.isClosedByServer()).isTrue();

            assertThat(sleep.get()).isZero();
            try (ResultSet rs = busy.createStatement().executeQuery("SELECT 42")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
        }
    }
}
