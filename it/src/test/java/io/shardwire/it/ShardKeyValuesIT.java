package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Shard key values whose stored value depends on the column's type: the demo's customers are placed by a hash of
 * their BIGINT id, and MariaDB stores 20005.4 as 20005. Such a row would be placed by one value and stored as
 * another, where no lookup by its id finds it: it is refused instead, text and prepared, and a read by such a value
 * looks on every node, where each server compares it as its column says. And reads by key with MariaDB's locking
 * clause, which the SQL parser does not read.
 */
class ShardKeyValuesIT {

    private static ProxyFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = ProxyFixture.startWithDemoTables("shardkeys", 2, "customers");
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static long count(Statement s, String where) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM customers WHERE " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aKeyWithAFractionIsRefusedAndAWholeOneFoundByItsInteger() throws Exception {
        String insert = "INSERT INTO customers (id, name, email, created_at) VALUES (%s, 'k', '%s', '2026-11-28')";
        try (Connection c = fixture.app(); Statement s = c.createStatement()) {
            for (String key : new String[] {"20005.4", "'20005.6'", "20005.5e0"}) {
                assertThatThrownBy(() -> s.execute(insert.formatted(key, "f" + key.replace("'", ""))))
                        .as(key).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getMessage())
                                .contains("cannot be placed").contains("fraction"));
            }
            try (Connection prepared = fixture.connect("app", "app", "shop", "useServerPrepStmts", "true");
                 PreparedStatement p = prepared.prepareStatement(insert.formatted("?", "p"))) {
                p.setDouble(1, 7003.4);
                assertThatThrownBy(p::executeUpdate).isInstanceOf(SQLException.class);
            }
            assertThat(count(s, "id BETWEEN 20000 AND 20010 OR id BETWEEN 7000 AND 7010")).isZero();

            s.execute(insert.formatted("20007.0", "w1"));
            s.execute(insert.formatted("'2.0008e4'", "w2"));
            assertThat(count(s, "id = 20007")).isEqualTo(1);
            assertThat(count(s, "id = 20008")).isEqualTo(1);
            // Read by a value with a fraction: every node compares it as MariaDB does (20007.0 = 20007, 20007.5 no).
            assertThat(count(s, "id = 20007.0")).isEqualTo(1);
            assertThat(count(s, "id = 20007.5")).isZero();
        }
    }
    @Test
    void aLockingReadInShareModeRunsOnEachNodeWithItsClause() throws Exception {
        try (Connection c = fixture.app(); Statement s = c.createStatement()) {
            s.execute(("INSERT INTO customers (id, name, email, created_at) VALUES (30001, 'a', 's1', '2026-11-28'),"
                    + " (30002, 'b', 's2', '2026-11-28'), (30003, 'c', 's3', '2026-11-28')"));
            s.execute("BEGIN");
            assertThat(count(s, "id BETWEEN 30001 AND 30003 LOCK IN SHARE MODE")).isEqualTo(3);
            try (ResultSet rs = s.executeQuery("SELECT id FROM customers WHERE id >= 30001 ORDER BY id LIMIT 2"
                    + " LOCK IN SHARE MODE")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(30001);
            }
            s.execute("COMMIT");
        }
    }
}
