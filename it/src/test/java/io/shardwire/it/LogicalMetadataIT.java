package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardwire.proxy.demo.DemoSchema;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Table metadata through the proxy shows logical names only: SHOW statements, DESCRIBE, the
 * information_schema queries, and the DatabaseMetaData of MySQL Connector/J (SHOW-based and
 * information_schema-based) and MariaDB Connector/J, on the demo schema spread over data nodes
 * whose physical tables are {@code customers_0..}, {@code orders_0..} in {@code shop_0..}.
 */
class LogicalMetadataIT {

    private static ProxyFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = ProxyFixture.start("metadata", 1);
        try (Connection admin = fixture.connect("admin", "admin", "")) {
            DemoSchema.create(admin);
        }
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static List<List<String>> rows(ResultSet rs) throws SQLException {
        try (rs) {
            List<List<String>> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    private static List<String> column(ResultSet rs, String name) throws SQLException {
        try (rs) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(name));
            }
            return values;
        }
    }

    private static List<List<String>> query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            return rows(s.executeQuery(sql));
        }
    }

    /** No value anywhere in the rows names a physical table or data node database. */
    private static void assertLogical(List<List<String>> rows) {
        for (List<String> row : rows) {
            for (String value : row) {
                if (value != null) {
                    assertThat(value).as("row %s", row).doesNotContainPattern("(customers|orders)_\\d|shop_\\d");
                }
            }
        }
    }

    @Test
    void showStatementsNameLogicalTables() throws Exception {
        try (Connection c = fixture.app()) {
            List<List<String>> columns = query(c, "SHOW COLUMNS FROM orders");
            assertThat(columns.stream().map(List::getFirst)).contains("id", "customer_id");
            assertThat(query(c, "SHOW FULL FIELDS FROM orders FROM shop LIKE 'cust%'").stream().map(List::getFirst))
                    .containsExactly("customer_id");
            assertThat(query(c, "DESCRIBE orders")).isEqualTo(columns);
            assertThat(query(c, "DESC shop.orders")).isEqualTo(columns);

            List<List<String>> create = query(c, "SHOW CREATE TABLE orders");
            assertThat(create.getFirst().getFirst()).isEqualTo("orders");
            assertThat(create.getFirst().get(1)).startsWith("CREATE TABLE `orders` (");
            assertLogical(create);

            List<List<String>> index = query(c, "SHOW INDEX FROM customers");
            assertThat(index).isNotEmpty().allSatisfy(row -> assertThat(row.getFirst()).isEqualTo("customers"));
            assertThat(query(c, "SHOW KEYS IN orders")).isNotEmpty();

            List<List<String>> status = query(c, "SHOW TABLE STATUS");
            assertThat(status.stream().map(List::getFirst)).contains("customers", "orders", "products");
            assertLogical(status);
            assertThat(query(c, "SHOW TABLE STATUS FROM shop LIKE 'ord%'").stream().map(List::getFirst)).containsExactly("orders");
        }
    }

    @Test
    void explainOfASelectOnOneDataNodeIsThatNodesPlan() throws Exception {
        try (Connection c = fixture.app(); Statement s = c.createStatement()) {
            for (String explain : List.of("EXPLAIN SELECT * FROM orders WHERE customer_id = 7",
                    "EXPLAIN EXTENDED SELECT id FROM orders WHERE customer_id = 7",
                    "EXPLAIN FORMAT=JSON SELECT id FROM orders WHERE customer_id = 7",
                    "ANALYZE SELECT id FROM orders WHERE customer_id = 7")) {
                assertThat(query(c, explain)).as(explain).isNotEmpty();
            }
            assertThatThrownBy(() -> s.executeQuery("EXPLAIN SELECT * FROM orders"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getMessage())
                            .contains("EXPLAIN of a SELECT over").contains("EXPLAIN SHARDWIRE"));
            // A statement the parser cannot read that names a spread table: a syntax error to the proxy, naming the
            // table (it was the default database's 1146), as is a typo (MariaDB's 1064).
            for (String unreadable : List.of("CHECK TABLE orders", "SELEC * FROM orders", "SELECT * FRM orders")) {
                assertThatThrownBy(() -> s.execute(unreadable)).as(unreadable)
                        .isInstanceOfSatisfying(SQLException.class, e -> {
                            assertThat(e.getErrorCode()).isEqualTo(1064);
                            assertThat(e.getSQLState()).isEqualTo("42000");
                            assertThat(e.getMessage()).contains("names sharded table shop.orders");
                        });
            }
        }
    }

    @Test
    void renamedShowAnswersKeepTheServersColumnTypes() throws Exception {
        // Sequelize and Sequel read Non_unique as a number (a string "1" made every index unique to them).
        Connection direct = fixture.cluster.group("g0").primary().connect();
        try (direct; Connection c = fixture.app()) {
            direct.setCatalog("shop_0");
            for (String[] show : new String[][] {{"SHOW INDEX FROM orders", "SHOW INDEX FROM orders_0"},
                    {"SHOW TABLE STATUS LIKE 'orders'", "SHOW TABLE STATUS LIKE 'orders_0'"}}) {
                assertThat(columnTypes(c, show[0])).as(show[0]).isEqualTo(columnTypes(direct, show[1]));
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW INDEX FROM orders")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getObject("Non_unique")).isInstanceOf(Number.class);
            }
        }
    }

    private static List<String> columnTypes(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> types = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                types.add(rs.getMetaData().getColumnLabel(i) + " " + rs.getMetaData().getColumnTypeName(i));
            }
            return types;
        }
    }

    @Test
    void informationSchemaShowsLogicalSchemasAndTables() throws Exception {
        try (Connection c = fixture.app()) {
            List<List<String>> tables = query(c, "SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES"
                    + " WHERE TABLE_SCHEMA = 'shop' ORDER BY TABLE_NAME");
            assertThat(tables).contains(List.of("shop", "customers"), List.of("shop", "orders"), List.of("shop", "products"));
            assertLogical(tables);
            List<List<String>> columns = query(c, "SELECT c.TABLE_NAME, c.COLUMN_NAME FROM information_schema.COLUMNS c"
                    + " WHERE c.TABLE_SCHEMA = 'shop' AND c.TABLE_NAME = 'orders' ORDER BY c.ORDINAL_POSITION");
            assertThat(columns.getFirst()).containsExactly("orders", "id");
            assertLogical(query(c, "SELECT * FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = 'shop'"));
            assertThat(query(c, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY 1"))
                    .containsExactly(List.of("information_schema"), List.of("shop"));
            // As Rails lists tables: DATABASE() is the session's logical schema, not the backend's database (a write
            // just left the session's connection in a data node's).
            try (java.sql.Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE orders SET id = id WHERE id = -1");
            }
            assertThat(query(c, "SELECT table_name FROM information_schema.tables WHERE table_schema = database()"
                    + " AND table_type = 'BASE TABLE' ORDER BY table_name"))
                    .contains(List.of("customers"), List.of("orders"), List.of("products"));
        }
    }

    private static void assertDatabaseMetaData(Connection c, String catalog) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        List<String> tables = column(meta.getTables(catalog, null, "%", new String[] {"TABLE"}), "TABLE_NAME");
        assertThat(tables).contains("customers", "orders", "products");
        assertLogical(tables.stream().map(List::of).toList());
        List<List<String>> columns = rows(meta.getColumns(catalog, null, "orders", "%"));
        assertThat(columns).isNotEmpty();
        assertLogical(columns);
        assertThat(column(meta.getColumns(catalog, null, "orders", "%"), "COLUMN_NAME")).contains("id", "customer_id");
        assertThat(column(meta.getPrimaryKeys(catalog, null, "orders"), "COLUMN_NAME")).containsExactly("id");
        assertThat(column(meta.getPrimaryKeys(catalog, null, "orders"), "TABLE_NAME")).containsExactly("orders");
        List<List<String>> indexes = rows(meta.getIndexInfo(catalog, null, "customers", false, false));
        assertThat(indexes).isNotEmpty();
        assertLogical(indexes);
        assertThat(column(meta.getCatalogs(), "TABLE_CAT")).contains("shop").doesNotContain("shop_0", "shop_1");
    }

    @Test
    void connectorJDatabaseMetaDataSeesLogicalNames() throws Exception {
        try (Connection show = fixture.app();
             Connection infoSchema = fixture.connect("app", "app", "shop", "useInformationSchema", "true")) {
            assertDatabaseMetaData(show, "shop");
            assertDatabaseMetaData(infoSchema, "shop");
        }
    }

    @Test
    void mariaDbConnectorDatabaseMetaDataSeesLogicalNames() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + fixture.proxy.port()
                + "/shop?sslMode=disable", "app", "app")) {
            assertDatabaseMetaData(c, "shop");
        }
    }

    @Test
    void theCliDescribesLogicalTables() throws Exception {
        MariaDbCli.Result result = MariaDbCli.run(fixture.proxy.port(), "app", "app", "shop",
                "SHOW CREATE TABLE orders; DESCRIBE customers; SHOW INDEX FROM orders;");
        assertThat(result.stderr()).isEmpty();
        assertThat(result.stdout()).contains("CREATE TABLE `orders`").doesNotContainPattern("(customers|orders)_\\d|shop_\\d");
    }
}
