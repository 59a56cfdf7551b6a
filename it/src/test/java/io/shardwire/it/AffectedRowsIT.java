package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Affected-row counts of writes through the proxy, and ROW_COUNT() after them, equal one MariaDB's for the same statements (ORMs check them:
 * SQLAlchemy raises StaleDataError when an UPDATE by primary key reports other than one row): the demo's broadcast
 * {@code products}, a copy on each of 4 data nodes over 2 groups, against the same table in a plain database.
 */
class AffectedRowsIT {

    private static ProxyFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = ProxyFixture.startWithDemoTables("affected", 2, "products");
        try (Connection direct = fixture.cluster.group("g0").primary().connect(); Statement s = direct.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS affected_ref");
            s.execute("CREATE DATABASE affected_ref");
            s.execute("CREATE TABLE affected_ref.products (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL,"
                    + " price DECIMAL(10,2) NOT NULL)");
        }
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static final List<String> WRITES = List.of(
            "INSERT INTO products (id, name, price) VALUES (1, 'a', 1.00), (2, 'b', 2.00), (3, 'c', 3.00)",
            "UPDATE products SET price = price + 1 WHERE id = 1",
            "UPDATE products SET price = price WHERE id <= 2",
            "INSERT INTO products (id, name, price) VALUES (3, 'c', 9.00), (4, 'd', 4.00)"
                    + " ON DUPLICATE KEY UPDATE price = VALUES(price)",
            "DELETE FROM products WHERE id >= 3",
            "DELETE FROM products");

    @Test
    void broadcastWritesCountOneCopysRowsWithAndWithoutFoundRows() throws Exception {
        for (String useAffectedRows : List.of("false", "true")) {
            // The reference counts as the proxy's client asks: found rows (Connector/J's default) or affected rows.
            try (Connection proxy = fixture.connect("app", "app", "shop", "useAffectedRows", useAffectedRows);
                 Connection direct = ProxyFixture.connect(fixture.cluster.group("g0").primary().port(),
                         fixture.cluster.spec().user(), fixture.cluster.spec().password(), "affected_ref",
                         "useAffectedRows", useAffectedRows)) {
                for (String write : WRITES) {
                    assertThat(count(proxy, write)).as(write + " (useAffectedRows=" + useAffectedRows + ")")
                            .isEqualTo(count(direct, write));
                    // ROW_COUNT() is the session's last statement's, whichever connections it used.
                    assertThat(rowCount(proxy)).as("ROW_COUNT() after " + write).isEqualTo(rowCount(direct));
                }
                assertThat(rowCount(proxy)).as("ROW_COUNT() after a SELECT").isEqualTo(-1);
            }
        }
    }

    private static long rowCount(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT ROW_COUNT()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static int count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            return s.executeUpdate(sql);
        }
    }
}
