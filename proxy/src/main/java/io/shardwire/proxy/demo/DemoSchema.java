package io.shardwire.proxy.demo;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's {@code shop} schema, created through the proxy (which fans the DDL out to every data
 * node), then sample customers, products and orders written through the proxy, which places each
 * row on its data node. Idempotent: tables are created if missing and
 * filled only when empty, so a restarted demo keeps its data.
 */
public final class DemoSchema {

    /** Rows the demo creates in each table; the README's tour relies on these counts. */
    public static final int CUSTOMERS = 100;
    public static final int PRODUCTS = 20;
    public static final int ORDERS = 1000;

    private static final String CUSTOMERS_DDL = " (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL,"
            + " email VARCHAR(200) NOT NULL UNIQUE, created_at DATETIME NOT NULL)";
    private static final String PRODUCTS_DDL = " (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL,"
            + " price DECIMAL(10,2) NOT NULL)";
    private static final String ORDERS_DDL = " (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL,"
            + " product_id BIGINT NOT NULL, quantity INT NOT NULL, amount DECIMAL(12,2) NOT NULL,"
            + " created_at DATETIME NOT NULL, KEY idx_customer (customer_id))";

    private DemoSchema() {
    }

    /** The physical database of data node {@code index}. */
    static String dataNode(int index) {
        return "shop_" + index;
    }

    /**
     * Creates the schema through the proxy, which fans the DDL out: {@code CREATE DATABASE shop}
     * makes its default database and every data node database, each {@code CREATE TABLE} every
     * physical slice or copy.
     *
     * @param viaProxy a proxy session without a schema (the schema may not exist yet)
     */
    public static void create(Connection viaProxy) throws SQLException {
        try (Statement s = viaProxy.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS shop");
            s.execute("USE shop");
            s.execute("CREATE TABLE IF NOT EXISTS customers" + CUSTOMERS_DDL);
            s.execute("CREATE TABLE IF NOT EXISTS orders" + ORDERS_DDL);
            s.execute("CREATE TABLE IF NOT EXISTS products" + PRODUCTS_DDL);
        }
    }

    /** Writes the sample rows through the proxy ({@code viaProxy} is a session on schema {@code shop}) if there are none. */
    public static void fill(Connection viaProxy) throws SQLException {
        try (Statement s = viaProxy.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM customers")) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    return;
                }
            }
            LocalDateTime start = LocalDateTime.of(2026, 1, 1, 9, 0);
            List<String> rows = new ArrayList<>();
            for (int i = 1; i <= CUSTOMERS; i++) {
                rows.add("(" + i + ", 'Customer " + i + "', 'customer" + i + "@example.com', '" + start.plusHours(i) + "')");
            }
            insert(s, "customers (id, name, email, created_at)", rows);
            rows.clear();
            for (int i = 1; i <= PRODUCTS; i++) {
                rows.add("(" + i + ", 'Product " + i + "', " + price(i) + ")");
            }
            insert(s, "products (id, name, price)", rows);
            rows.clear();
            for (int i = 1; i <= ORDERS; i++) {
                int product = 1 + (i * 7) % PRODUCTS;
                int quantity = 1 + i % 5;
                rows.add("(" + i + ", " + (1 + (i * 13) % CUSTOMERS) + ", " + product + ", " + quantity + ", "
                        + price(product).multiply(BigDecimal.valueOf(quantity)) + ", '"
                        + start.plusDays(i % 300).plusMinutes(i) + "')");
            }
            insert(s, "orders (id, customer_id, product_id, quantity, amount, created_at)", rows);
        }
    }

    private static void insert(Statement statement, String into, List<String> rows) throws SQLException {
        for (int from = 0; from < rows.size(); from += 200) {
            statement.execute("INSERT INTO " + into + " VALUES "
                    + String.join(", ", rows.subList(from, Math.min(rows.size(), from + 200))));
        }
    }

    private static BigDecimal price(int product) {
        return BigDecimal.valueOf(499 + product * 250L, 2);
    }
}
