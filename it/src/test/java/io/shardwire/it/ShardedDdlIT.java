package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardwire.config.ConfigLoader;
import io.shardwire.embedded.ClusterSpec;
import io.shardwire.embedded.EmbeddedCluster;
import io.shardwire.proxy.ShardwireServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * DDL through the proxy on 2 shard groups x 2 data nodes: a table's life from CREATE DATABASE of
 * its logical schema to DROP TABLE, every step checked on the shards themselves, slice by slice.
 * The tests build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShardedDdlIT {

    private static final String[] NODES = {"shop_0", "shop_1", "shop_2", "shop_3"};

    private static EmbeddedCluster cluster;
    private static ShardwireServer proxy;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Path.of("target", "it-data", "ddl").toAbsolutePath();
        cluster = EmbeddedCluster.start(ClusterSpec.of(dir.resolve("mariadb"), 2, 0));
        for (String group : List.of("g0", "g1")) {
            // A rerun on the same data directory starts from no databases at all.
            try (Connection c = shard(group); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS shop");
                for (String node : NODES) {
                    s.execute("DROP DATABASE IF EXISTS " + node);
                }
            }
        }
        String yaml = """
                server:
                  port: %d
                  httpPort: %d
                  dataDir: '%s'
                  users: [{name: app, password: app, schemas: [shop]}, {name: outsider, password: outsider}]
                shardGroups:
                  - {name: g0, primary: {port: %d, user: shardwire, password: shardwire}}
                  - {name: g1, primary: {port: %d, user: shardwire, password: shardwire}}
                schemas:
                  - name: shop
                    defaultShardGroup: g0
                    dataNodes: {shop_0: g0, shop_1: g0, shop_2: g1, shop_3: g1}
                    tables:
                      orders: {kind: sharded, shardKey: customer_id, algorithm: {type: mod}, buckets: 4, physicalTable: 'orders_${index}',
                               keyGenerator: {column: id}}
                      order_items: {kind: binding, bindTo: orders, shardKey: customer_id, physicalTable: 'order_items_${index}'}
                      countries: {kind: broadcast}
                """.formatted(ProxyFixture.freePort(), ProxyFixture.freePort(), dir.resolve("proxy"),
                cluster.group("g0").primary().port(), cluster.group("g1").primary().port());
        proxy = ShardwireServer.start(ConfigLoader.parse(yaml, "ddl.yaml"));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void createDatabaseCreatesEveryPhysicalDatabase() throws SQLException {
        try (Connection outsider = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + proxy.port()
                + "/?sslMode=DISABLED", "outsider", "outsider"); Statement s = outsider.createStatement()) {
            assertThatThrownBy(() -> s.execute("CREATE DATABASE shop"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1044));
        }
        try (Connection c = viaProxy(""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE shop");
        }
        assertThat(databases("g0")).contains("shop", "shop_0", "shop_1").doesNotContain("shop_2", "shop_3");
        assertThat(databases("g1")).contains("shop_2", "shop_3").doesNotContain("shop", "shop_0", "shop_1");
    }

    @Test
    @Order(2)
    void createTableCreatesEverySlice() throws SQLException {
        try (Connection c = viaProxy("shop"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id INT NOT NULL, total DECIMAL(10,2))");
            s.execute("CREATE TABLE order_items (id BIGINT PRIMARY KEY, customer_id INT NOT NULL, sku VARCHAR(10))");
            s.execute("CREATE TABLE countries (code CHAR(2) PRIMARY KEY, name VARCHAR(20))");
        }
        for (int i = 0; i < NODES.length; i++) {
            assertThat(tables(i)).containsExactlyInAnyOrder("orders_" + i, "order_items_" + i, "countries");
        }
        assertThat(tablesIn("g0", "shop")).isEmpty();
    }

    @Test
    @Order(3)
    void rowsRouteIntoTheNewSlices() throws SQLException {
        try (Connection c = viaProxy("shop"); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("INSERT INTO orders (id, customer_id, total) VALUES"
                    + " (1, 0, 1.50), (2, 1, 2.50), (3, 2, 3.50), (4, 3, 4.50), (5, 4, 5.50)")).isEqualTo(5);
            // Written to every copy, counted as one server counts it.
            assertThat(s.executeUpdate("INSERT INTO countries (code, name) VALUES ('FR', 'France')")).isEqualTo(1);
            try (ResultSet rows = s.executeQuery("SELECT COUNT(*), SUM(total) FROM orders")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getLong(1)).isEqualTo(5);
                assertThat(rows.getBigDecimal(2)).isEqualByComparingTo("17.50");
            }
        }
        // A key the proxy generates is the statement's LAST_INSERT_ID, in the OK packet and for the function.
        try (Connection c = viaProxy("shop"); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO orders (customer_id, total) VALUES (3, 9.99)", Statement.RETURN_GENERATED_KEYS);
            long generated;
            try (ResultSet keys = s.getGeneratedKeys()) {
                assertThat(keys.next()).isTrue();
                generated = keys.getLong(1);
            }
            assertThat(generated).isGreaterThan(5);
            try (ResultSet last = s.executeQuery("SELECT LAST_INSERT_ID()")) {
                assertThat(last.next()).isTrue();
                assertThat(last.getLong(1)).isEqualTo(generated);
            }
            assertThat(s.executeUpdate("DELETE FROM orders WHERE customer_id = 3 AND id = " + generated)).isEqualTo(1);
        }
        // Result metadata names the logical schema and table, not the slice that answered.
        try (Connection c = viaProxy("shop"); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT id, total FROM orders WHERE customer_id = 2")) {
            ResultSetMetaData meta = rows.getMetaData();
            assertThat(meta.getCatalogName(1)).isEqualTo("shop");
            assertThat(meta.getTableName(1)).isEqualTo("orders");
        }
        // mod 4 of customer_id: 0 and 4 on shop_0, one row on each other node.
        assertThat(count(0, "orders_0")).isEqualTo(2);
        for (int i = 1; i < NODES.length; i++) {
            assertThat(count(i, "orders_" + i)).isEqualTo(1);
            assertThat(count(i, "countries")).isEqualTo(1);
        }
    }

    @Test
    @Order(4)
    void alterTableAndIndexesReachEverySlice() throws SQLException {
        try (Connection c = viaProxy("shop"); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE orders ADD COLUMN note VARCHAR(20)");
            s.execute("CREATE INDEX by_total ON orders (total)");
            s.executeUpdate("UPDATE orders SET note = 'seen'");
            try (ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM orders WHERE note = 'seen'")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getLong(1)).isEqualTo(5);
            }
        }
        for (int i = 0; i < NODES.length; i++) {
            assertThat(columns(i, "orders_" + i)).containsExactly("id", "customer_id", "total", "note");
            assertThat(indexes(i, "orders_" + i)).contains("by_total");
        }
        try (Connection c = viaProxy("shop"); Statement s = c.createStatement()) {
            s.execute("DROP INDEX by_total ON orders");
        }
        for (int i = 0; i < NODES.length; i++) {
            assertThat(indexes(i, "orders_" + i)).doesNotContain("by_total");
        }
    }

    @Test
    @Order(5)
    void renamingASpreadTableIsRefusedByName() throws SQLException {
        try (Connection c = viaProxy("shop"); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("RENAME TABLE orders TO old_orders"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("RENAME TABLE")
                    .hasMessageContaining("shop.orders");
            assertThatThrownBy(() -> s.execute("CREATE TABLE orders_copy LIKE orders"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("CREATE TABLE");
        }
        for (int i = 0; i < NODES.length; i++) {
            assertThat(tables(i)).contains("orders_" + i).doesNotContain("old_orders", "orders_copy");
        }
    }

    @Test
    @Order(6)
    void truncateEmptiesEverySlice() throws SQLException {
        try (Connection c = viaProxy("shop"); Statement s = c.createStatement()) {
            s.execute("TRUNCATE TABLE orders");
            try (ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM orders")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getLong(1)).isZero();
            }
        }
        for (int i = 0; i < NODES.length; i++) {
            assertThat(count(i, "orders_" + i)).isZero();
            assertThat(count(i, "countries")).isEqualTo(1);
        }
    }

    @Test
    @Order(7)
    void dropTableRemovesEverySlice() throws SQLException {
        try (Connection c = viaProxy("shop"); Statement s = c.createStatement()) {
            s.execute("DROP TABLE orders");
            s.execute("DROP TABLE IF EXISTS countries");
        }
        for (int i = 0; i < NODES.length; i++) {
            assertThat(tables(i)).containsExactly("order_items_" + i);
        }
    }

    @Test
    @Order(8)
    void dropDatabaseDropsEveryPhysicalDatabaseAndRefusesADataNodeByName() throws SQLException {
        try (Connection outsider = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + proxy.port()
                + "/?sslMode=DISABLED", "outsider", "outsider"); Statement s = outsider.createStatement()) {
            assertThatThrownBy(() -> s.execute("DROP DATABASE shop"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1044));
        }
        try (Connection c = viaProxy(""); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("DROP DATABASE shop_2"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(1105);
                        assertThat(e.getMessage()).contains("shop_2 is a data node database of schema shop");
                    });
            assertThat(databases("g1")).contains("shop_2");
            s.execute("DROP DATABASE shop");
            assertThatThrownBy(() -> s.execute("DROP DATABASE shop"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1008));
            s.execute("DROP DATABASE IF EXISTS shop");
        }
        assertThat(databases("g0")).doesNotContain("shop", "shop_0", "shop_1");
        assertThat(databases("g1")).doesNotContain("shop_2", "shop_3");
    }

    private static Connection viaProxy(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + proxy.port() + "/" + database + "?sslMode=DISABLED",
                "app", "app");
    }

    private static Connection shard(String group) throws SQLException {
        return cluster.group(group).primary().connect();
    }

    private static String groupOf(int node) {
        return node < 2 ? "g0" : "g1";
    }

    private static List<String> databases(String group) throws SQLException {
        return strings(group, "SELECT schema_name FROM information_schema.schemata");
    }

    private static List<String> tables(int node) throws SQLException {
        return tablesIn(groupOf(node), NODES[node]);
    }

    private static List<String> tablesIn(String group, String database) throws SQLException {
        return strings(group, "SELECT table_name FROM information_schema.tables WHERE table_schema = ?", database);
    }

    private static List<String> columns(int node, String table) throws SQLException {
        return strings(groupOf(node), "SELECT column_name FROM information_schema.columns"
                + " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position", NODES[node], table);
    }

    private static List<String> indexes(int node, String table) throws SQLException {
        return strings(groupOf(node), "SELECT DISTINCT index_name FROM information_schema.statistics"
                + " WHERE table_schema = ? AND table_name = ?", NODES[node], table);
    }

    private static long count(int node, String table) throws SQLException {
        return Long.parseLong(strings(groupOf(node), "SELECT COUNT(*) FROM " + NODES[node] + "." + table).getFirst());
    }

    private static List<String> strings(String group, String sql, String... parameters) throws SQLException {
        try (Connection c = shard(group); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setString(i + 1, parameters[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }
    }
}
