package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MariaDB Connector/J through the proxy, text and binary (server-side prepared, pipelined) modes:
 * values written with PreparedStatement setters read back equal, and equal to reads straight
 * from the backend with the same driver and mode.
 */
class MariaDbConnectorIT {

    private static ProxyFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = ProxyFixture.start("mariadb-connector", 1);
        try (Connection c = fixture.app(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS mdb_types");
            s.execute("CREATE TABLE mdb_types (id INT PRIMARY KEY, bi BIGINT, biu BIGINT UNSIGNED, d DOUBLE,"
                    + " dc DECIMAL(30,10), dt DATE, dtm DATETIME(6), tm TIME(6), vc VARCHAR(100), bl BLOB, bt BIT(16),"
                    + " js JSON)");
        }
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static Connection mariadb(int port, String user, String password, String mode) throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/shop?sslMode=disable&useServerPrepStmts="
                + mode, user, password);
    }

    private static Connection proxy(String mode) throws SQLException {
        return mariadb(fixture.proxy.port(), "app", "app", mode);
    }

    private static Connection direct(String mode) throws SQLException {
        return mariadb(fixture.cluster.group("g0").primary().port(), fixture.cluster.spec().user(),
                fixture.cluster.spec().password(), mode);
    }

    @ParameterizedTest(name = "useServerPrepStmts={0}")
    @ValueSource(strings = {"true", "false"})
    void valuesRoundTrip(String serverPrepared) throws Exception {
        int base = Boolean.parseBoolean(serverPrepared) ? 100 : 200;
        try (Connection c = proxy(serverPrepared);
             PreparedStatement insert = c.prepareStatement("INSERT INTO mdb_types VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")) {
            insert.setInt(1, base + 1);
            insert.setLong(2, Long.MIN_VALUE);
            insert.setBigDecimal(3, new BigDecimal("18446744073709551615"));
            insert.setDouble(4, -1.25e-300);
            insert.setBigDecimal(5, new BigDecimal("-12345678901234567890.0123456789"));
            insert.setObject(6, LocalDate.of(2026, 2, 28));
            insert.setObject(7, LocalDateTime.of(2026, 11, 26, 23, 59, 59, 123_456_000));
            insert.setString(8, "-100:00:00.5");
            insert.setString(9, "ünïcødé ✓");
            insert.setBytes(10, HexFormat.of().parseHex("00ff00ff"));
            insert.setBytes(11, new byte[] {(byte) 0x80, 0x01});
            insert.setString(12, "{\"a\": 1}");
            assertThat(insert.executeUpdate()).isEqualTo(1);
            insert.setInt(1, base + 2);
            for (int i = 2; i <= 12; i++) {
                insert.setNull(i, Types.NULL);
            }
            assertThat(insert.executeUpdate()).isEqualTo(1);
        }
        String select = "SELECT * FROM mdb_types WHERE id > ? AND id < ? ORDER BY id";
        List<List<String>> viaProxy = read(proxy(serverPrepared), select, base);
        assertThat(viaProxy).hasSize(2).isEqualTo(read(direct(serverPrepared), select, base));
        assertThat(viaProxy.getFirst()).containsExactly(String.valueOf(base + 1), "-9223372036854775808",
                "18446744073709551615", viaProxy.getFirst().get(3), "-12345678901234567890.0123456789", "2026-02-28",
                viaProxy.getFirst().get(6), "-100:00:00.500000", "ünïcødé ✓", "00ff00ff", "8001", "{\"a\": 1}");
        // The driver prints doubles as 1.25E-300 in binary mode and as the server does (1.25e-300) in text mode.
        assertThat(viaProxy.getFirst().get(3)).isEqualToIgnoringCase("-1.25e-300");
        assertThat(viaProxy.getFirst().get(6)).startsWith("2026-11-26 23:59:59.123456");
        assertThat(viaProxy.get(1).subList(1, 12)).containsOnly("null");
    }

    private static List<List<String>> read(Connection c, String select, int base) throws SQLException {
        try (c; PreparedStatement ps = c.prepareStatement(select)) {
            ps.setInt(1, base);
            ps.setInt(2, base + 100);
            try (ResultSet rs = ps.executeQuery()) {
                List<List<String>> rows = new ArrayList<>();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        boolean binary = switch (rs.getMetaData().getColumnType(i)) {
                            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB, Types.BIT -> true;
                            default -> false;
                        };
                        byte[] bytes = binary ? rs.getBytes(i) : null;
                        row.add(binary ? (bytes == null ? "null" : HexFormat.of().formatHex(bytes))
                                : String.valueOf(rs.getString(i)));
                    }
                    rows.add(row);
                }
                return rows;
            }
        }
    }

    /**
     * The driver's statement at connect ({@code set autocommit=0,sql_mode=CONCAT(@@sql_mode,...),NAMES utf8mb4
     * COLLATE ...}) is the session's: its collation on the reads, its autocommit for the writes.
     */
    @Test
    void theDriversSettingsAtConnectAreTheSessions() throws Exception {
        String url = "jdbc:mariadb://127.0.0.1:" + fixture.proxy.port() + "/shop?sslMode=disable"
                + "&connectionCollation=utf8mb4_bin&autocommit=false";
        try (Connection c = DriverManager.getConnection(url, "app", "app"); Statement s = c.createStatement()) {
            assertThat(c.getAutoCommit()).isFalse();
            s.executeUpdate("INSERT INTO mdb_types (id) VALUES (901)");
            try (ResultSet rs = s.executeQuery("SELECT COLLATION('x'), 'a' = 'A' FROM mdb_types WHERE id = 901")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("utf8mb4_bin");
                assertThat(rs.getInt(2)).isZero();
            }
            c.rollback();
        }
        try (Connection c = proxy("false"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM mdb_types WHERE id = 901")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).as("rolled back").isZero();
        }
    }

    @Test
    void errorsCarryTheirCodes() throws Exception {
        try (Connection c = proxy("true"); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("SELECT * FROM missing_table"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1146));
            try (PreparedStatement missing = c.prepareStatement("SELECT * FROM missing_table WHERE id = ?")) {
                missing.setInt(1, 1);
                assertThatThrownBy(missing::executeQuery)
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1146));
            }
        }
        assertThatThrownBy(() -> mariadb(fixture.proxy.port(), "app", "nope", "false").close())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1045));
    }
}
