package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
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
 * Prepared statements through the proxy with Connector/J in each of its modes: every column type
 * round-trips (written with PreparedStatement setters, read back), and reads through the proxy
 * equal reads straight from the backend.
 */
class PreparedStatementIT {

    private static ProxyFixture fixture;

    private static final String COLUMNS = "id INT PRIMARY KEY, ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, mi MEDIUMINT,"
            + " i INT, iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED, f FLOAT, d DOUBLE, dc DECIMAL(30,10),"
            + " dt DATE, dtm DATETIME(6), ts TIMESTAMP(3) NULL, tm TIME(6), y YEAR, ch CHAR(5), vc VARCHAR(100),"
            + " tx TEXT, bl BLOB, vb VARBINARY(10), bt BIT(16), en ENUM('a','b'), st SET('x','y'), js JSON,"
            + " g GEOMETRY";

    private static final int COLUMN_COUNT = 27;

    /** POINT(1 2) and LINESTRING(0 0, -1.5 1e300) as MariaDB stores GEOMETRY: a 4-byte SRID, then WKB. */
    private static final String POINT = "00000000" + "0101000000" + "000000000000f03f" + "0000000000000040";
    private static final String LINESTRING = "00000000" + "0102000000" + "02000000" + "0000000000000000".repeat(2)
            + "000000000000f8bf" + "9c7500883ce4377e";

    @BeforeAll
    static void start() throws Exception {
        fixture = ProxyFixture.start("prepared", 1);
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static Connection proxy(String... properties) throws SQLException {
        return fixture.connect("app", "app", "shop", properties);
    }

    /** Straight to the shard group's primary, bypassing the proxy: the reference. */
    private static Connection direct(String... properties) throws SQLException {
        StringBuilder url = new StringBuilder(fixture.cluster.group("g0").primary().jdbcUrl("shop"));
        for (int i = 0; i + 1 < properties.length; i += 2) {
            url.append('&').append(properties[i]).append('=').append(properties[i + 1]);
        }
        return java.sql.DriverManager.getConnection(url.toString(), fixture.cluster.spec().user(),
                fixture.cluster.spec().password());
    }

    /**
     * 20 MB is more than one 16 MB packet: the COM_STMT_EXECUTE and the binary row are split and joined on the way in
     * and on the way out.
     */
    @Test
    void aTwentyMegabyteBlobRoundTrips() throws Exception {
        byte[] blob = new byte[20 * 1024 * 1024];
        new java.util.Random(20).nextBytes(blob);
        try (Connection c = proxy("useServerPrepStmts", "true"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS big_blobs (id INT PRIMARY KEY, b LONGBLOB)");
            s.execute("DELETE FROM big_blobs");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO big_blobs VALUES (?, ?)")) {
                insert.setInt(1, 1);
                insert.setBytes(2, blob);
                assertThat(insert.executeUpdate()).isEqualTo(1);
            }
            try (PreparedStatement select = c.prepareStatement("SELECT b, LENGTH(b) FROM big_blobs WHERE id = ?")) {
                select.setInt(1, 1);
                try (ResultSet rs = select.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(2)).isEqualTo(blob.length);
                    assertThat(java.util.Arrays.equals(rs.getBytes(1), blob)).as("the blob read back").isTrue();
                }
            }
        }
    }

    @ParameterizedTest(name = "useServerPrepStmts={0}")
    @ValueSource(strings = {"true", "false"})
    void everyTypeRoundTrips(String serverPrepared) throws Exception {
        String table = "ps_types_" + serverPrepared;
        try (Connection c = proxy(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
            s.execute("CREATE TABLE " + table + " (" + COLUMNS + ")");
        }
        try (Connection c = proxy("useServerPrepStmts", serverPrepared);
             PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " VALUES ("
                     + "?,".repeat(COLUMN_COUNT - 1) + "?)")) {
            bindMinimums(insert);
            assertThat(insert.executeUpdate()).isEqualTo(1);
            bindMaximums(insert);
            assertThat(insert.executeUpdate()).isEqualTo(1);
            insert.setInt(1, 3);
            for (int i = 2; i <= COLUMN_COUNT; i++) {
                insert.setNull(i, Types.NULL);
            }
            assertThat(insert.executeUpdate()).isEqualTo(1);
        }
        String select = "SELECT * FROM " + table + " WHERE id >= ? ORDER BY id";
        List<List<String>> viaProxy = read(proxy("useServerPrepStmts", serverPrepared), select);
        List<List<String>> straight = read(direct("useServerPrepStmts", serverPrepared), select);
        assertThat(viaProxy).hasSize(4).isEqualTo(straight);
        // How Connector/J formats FLOAT, DATETIME and YEAR differs between its text and binary modes;
        // the columns below read the same in both.
        assertThat(viaProxy.get(0).subList(0, 9)).containsExactly("1", "-128", "0", "-32768", "-8388608",
                "-2147483648", "0", "-9223372036854775808", "0");
        assertThat(viaProxy.get(0).subList(10, 13)).containsExactly("-1.7976931348623157E308",
                "-99999999999999999999.9999999999", "1000-01-01");
        assertThat(viaProxy.get(0).get(15)).isEqualTo("-838:59:59");
        assertThat(viaProxy.get(0).subList(17, COLUMN_COUNT))
                .containsExactly("", "", "", "", "", "0000", "a", "", "[]", POINT);
        assertThat(viaProxy.get(1).subList(0, 9)).containsExactly("2", "127", "255", "32767", "8388607", "2147483647",
                "4294967295", "9223372036854775807", "18446744073709551615");
        assertThat(viaProxy.get(1).subList(10, 13)).containsExactly("1.7976931348623157E308",
                "99999999999999999999.9999999999", "9999-12-31");
        assertThat(viaProxy.get(1).subList(17, COLUMN_COUNT)).containsExactly("ÿñçø€", "héllo wörld ✓ 日本語",
                "x".repeat(10_000), "00ff7f80", "0102030405060708090a", "03ff", "b", "x,y",
                "{\"k\": [1, 2.5, \"s\", null, true]}", LINESTRING);
        assertThat(viaProxy.get(2).subList(1, COLUMN_COUNT)).containsOnly("null");
    }

    private static void bindMinimums(PreparedStatement insert) throws SQLException {
        insert.setInt(1, 1);
        insert.setByte(2, Byte.MIN_VALUE);
        insert.setInt(3, 0);
        insert.setShort(4, Short.MIN_VALUE);
        insert.setInt(5, -8_388_608);
        insert.setInt(6, Integer.MIN_VALUE);
        insert.setLong(7, 0);
        insert.setLong(8, Long.MIN_VALUE);
        insert.setBigDecimal(9, BigDecimal.ZERO);
        insert.setFloat(10, -1.5e38f);
        insert.setDouble(11, -Double.MAX_VALUE);
        insert.setBigDecimal(12, new BigDecimal("-99999999999999999999.9999999999"));
        insert.setObject(13, LocalDate.of(1000, 1, 1));
        insert.setObject(14, LocalDateTime.of(1000, 1, 1, 0, 0));
        insert.setString(15, "1970-01-01 00:00:01");
        insert.setString(16, "-838:59:59");
        insert.setInt(17, 1901);
        insert.setString(18, "");
        insert.setString(19, "");
        insert.setString(20, "");
        insert.setBytes(21, new byte[0]);
        insert.setBytes(22, new byte[0]);
        insert.setBytes(23, new byte[] {0, 0});
        insert.setString(24, "a");
        insert.setString(25, "");
        insert.setString(26, "[]");
        insert.setBytes(27, HexFormat.of().parseHex(POINT));
    }

    private static void bindMaximums(PreparedStatement insert) throws SQLException {
        insert.setInt(1, 2);
        insert.setByte(2, Byte.MAX_VALUE);
        insert.setInt(3, 255);
        insert.setShort(4, Short.MAX_VALUE);
        insert.setInt(5, 8_388_607);
        insert.setInt(6, Integer.MAX_VALUE);
        insert.setLong(7, 4_294_967_295L);
        insert.setLong(8, Long.MAX_VALUE);
        insert.setBigDecimal(9, new BigDecimal("18446744073709551615"));
        insert.setFloat(10, 1.5e38f);
        insert.setDouble(11, Double.MAX_VALUE);
        insert.setBigDecimal(12, new BigDecimal("99999999999999999999.9999999999"));
        insert.setObject(13, LocalDate.of(9999, 12, 31));
        insert.setObject(14, LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000));
        insert.setString(15, "2038-01-19 03:14:07.999");
        insert.setString(16, "838:59:59.999999");
        insert.setInt(17, 2155);
        insert.setString(18, "ÿñçø€");
        insert.setString(19, "héllo wörld ✓ 日本語");
        insert.setString(20, "x".repeat(10_000));
        insert.setBytes(21, HexFormat.of().parseHex("00ff7f80"));
        insert.setBytes(22, HexFormat.of().parseHex("0102030405060708090a"));
        insert.setBytes(23, new byte[] {0x03, (byte) 0xff});
        insert.setString(24, "b");
        insert.setString(25, "x,y");
        insert.setString(26, "{\"k\": [1, 2.5, \"s\", null, true]}");
        insert.setBytes(27, HexFormat.of().parseHex(LINESTRING));
    }

    /** Every row's values as Connector/J reads them (binary columns as hex), then a row of column metadata. */
    private static List<List<String>> read(Connection c, String select) throws SQLException {
        try (c; PreparedStatement ps = c.prepareStatement(select)) {
            ps.setInt(1, 0);
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                List<List<String>> rows = new ArrayList<>();
                List<String> types = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    types.add(meta.getColumnName(i) + ":" + meta.getColumnTypeName(i) + "/" + meta.getPrecision(i)
                            + "/" + meta.getScale(i) + "/" + meta.getColumnClassName(i));
                }
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        boolean binary = switch (meta.getColumnType(i)) {
                            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BIT, Types.BLOB -> true;
                            default -> false;
                        };
                        byte[] bytes = binary ? rs.getBytes(i) : null;
                        row.add(binary ? (bytes == null ? "null" : HexFormat.of().formatHex(bytes)) : String.valueOf(rs.getString(i)));
                    }
                    rows.add(row);
                }
                rows.add(types);
                return rows;
            }
        }
    }

    @Test
    void batchedInsertsRewrittenByTheDriver() throws Exception {
        try (Connection c = proxy("rewriteBatchedStatements", "true"); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS ps_batch");
            s.execute("CREATE TABLE ps_batch (id INT PRIMARY KEY, v VARCHAR(10))");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO ps_batch VALUES (?, ?)")) {
                for (int i = 1; i <= 500; i++) {
                    insert.setInt(1, i);
                    insert.setString(2, "v" + i);
                    insert.addBatch();
                }
                assertThat(insert.executeBatch()).hasSize(500);
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(id) FROM ps_batch")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(500);
                assertThat(rs.getLong(2)).isEqualTo(500L * 501 / 2);
            }
        }
    }

    @Test
    void cursorFetchIsDeclinedCleanlyAndRowsStillArrive() throws Exception {
        try (Connection c = proxy("useCursorFetch", "true");
             PreparedStatement ps = c.prepareStatement("SELECT seq FROM seq_1_to_10000 WHERE seq > ?")) {
            ps.setFetchSize(100);
            ps.setInt(1, 5000);
            try (ResultSet rs = ps.executeQuery()) {
                long count = 0;
                long sum = 0;
                while (rs.next()) {
                    count++;
                    sum += rs.getLong(1);
                }
                assertThat(count).isEqualTo(5000);
                assertThat(sum).isEqualTo(10000L * 10001 / 2 - 5000L * 5001 / 2);
            }
        }
    }

    @Test
    void longDataStreamsAndStatementReuse() throws Exception {
        byte[] blob = new byte[1 << 20];
        for (int i = 0; i < blob.length; i++) {
            blob[i] = (byte) (i * 31);
        }
        try (Connection c = proxy("useServerPrepStmts", "true"); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS ps_long");
            s.execute("CREATE TABLE ps_long (id INT PRIMARY KEY, b LONGBLOB)");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO ps_long VALUES (?, ?)")) {
                for (int id = 1; id <= 3; id++) {
                    insert.setInt(1, id);
                    insert.setBinaryStream(2, new ByteArrayInputStream(blob), blob.length);
                    insert.executeUpdate();
                }
            }
            try (PreparedStatement select = c.prepareStatement("SELECT b FROM ps_long WHERE id = ?")) {
                for (int id = 1; id <= 3; id++) {
                    select.setInt(1, id);
                    try (ResultSet rs = select.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getBytes(1)).isEqualTo(blob);
                    }
                }
            }
        }
    }

    @Test
    void errorsAndGeneratedKeysOfPreparedStatements() throws Exception {
        // Without emulation Connector/J reports a failed server-side prepare instead of preparing client-side.
        try (Connection c = proxy("useServerPrepStmts", "true", "emulateUnsupportedPstmts", "false");
             Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS ps_keys");
            s.execute("CREATE TABLE ps_keys (id BIGINT PRIMARY KEY AUTO_INCREMENT, v INT)");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO ps_keys (v) VALUES (?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                insert.setInt(1, 5);
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    assertThat(keys.next()).isTrue();
                    assertThat(keys.getLong(1)).isEqualTo(1);
                }
            }
            assertThatThrownBy(() -> c.prepareStatement("SELECT * FROM no_such_table WHERE id = ?"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1146));
            try (PreparedStatement dup = c.prepareStatement("INSERT INTO ps_keys (id, v) VALUES (?, ?)")) {
                dup.setLong(1, 1);
                dup.setInt(2, 1);
                assertThatThrownBy(dup::executeUpdate)
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1062));
            }
        }
    }

    @Test
    void thePerSessionStatementLimitGivesError1461() throws Exception {
        try (Connection c = proxy("useServerPrepStmts", "true", "cachePrepStmts", "false",
                "emulateUnsupportedPstmts", "false")) {
            List<PreparedStatement> open = new ArrayList<>();
            SQLException refused = null;
            for (int i = 0; i < 2000 && refused == null; i++) {
                try {
                    open.add(c.prepareStatement("SELECT " + i + " + ?"));
                } catch (SQLException e) {
                    refused = e;
                }
            }
            assertThat((Object) refused).isNotNull();
            assertThat(refused.getErrorCode()).isEqualTo(1461);
            assertThat(open).hasSize(1638);
            open.getFirst().close();
            try (PreparedStatement again = c.prepareStatement("SELECT 1 + ?")) {
                again.setInt(1, 1);
                try (ResultSet rs = again.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(2);
                }
            }
        }
    }
}
