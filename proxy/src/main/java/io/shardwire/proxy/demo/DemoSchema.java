package io.shardwire.proxy.demo;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;

/**
 * The demo's {@code shop} schema with sample data: customers, products and orders. Idempotent:
 * tables are created if missing and filled only when empty, so a restarted demo keeps its data.
 */
public final class DemoSchema {

    /** Rows the demo creates in each table; the README's tour relies on these counts. */
    public static final int CUSTOMERS = 100;
    public static final int PRODUCTS = 20;
    public static final int ORDERS = 1000;

    private DemoSchema() {
    }

    /** Creates the schema on the server behind {@code connection} (a shard group primary). */
    public static void create(Connection connection, String schema) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS `" + schema + "`");
        }
        // A Connector/J statement keeps the database current at its creation, so switch first.
        connection.setCatalog(schema);
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS customers ("
                    + " id BIGINT PRIMARY KEY AUTO_INCREMENT,"
                    + " name VARCHAR(100) NOT NULL,"
                    + " email VARCHAR(200) NOT NULL UNIQUE,"
                    + " created_at DATETIME NOT NULL)");
            statement.execute("CREATE TABLE IF NOT EXISTS products ("
                    + " id BIGINT PRIMARY KEY AUTO_INCREMENT,"
                    + " name VARCHAR(100) NOT NULL,"
                    + " price DECIMAL(10,2) NOT NULL)");
            statement.execute("CREATE TABLE IF NOT EXISTS orders ("
                    + " id BIGINT PRIMARY KEY AUTO_INCREMENT,"
                    + " customer_id BIGINT NOT NULL,"
                    + " product_id BIGINT NOT NULL,"
                    + " quantity INT NOT NULL,"
                    + " amount DECIMAL(12,2) NOT NULL,"
                    + " created_at DATETIME NOT NULL,"
                    + " KEY idx_customer (customer_id))");
            if (isEmpty(statement, "customers")) {
                fill(connection);
            }
        }
    }

    private static boolean isEmpty(Statement statement, String table) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1) == 0;
        }
    }

    private static void fill(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        LocalDateTime start = LocalDateTime.of(2026, 1, 1, 9, 0);
        try (PreparedStatement customers = connection.prepareStatement(
                     "INSERT INTO customers (id, name, email, created_at) VALUES (?, ?, ?, ?)");
             PreparedStatement products = connection.prepareStatement(
                     "INSERT INTO products (id, name, price) VALUES (?, ?, ?)");
             PreparedStatement orders = connection.prepareStatement(
                     "INSERT INTO orders (id, customer_id, product_id, quantity, amount, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (int i = 1; i <= CUSTOMERS; i++) {
                customers.setLong(1, i);
                customers.setString(2, "Customer " + i);
                customers.setString(3, "customer" + i + "@example.com");
                customers.setObject(4, start.plusHours(i));
                customers.addBatch();
            }
            customers.executeBatch();
            for (int i = 1; i <= PRODUCTS; i++) {
                products.setLong(1, i);
                products.setString(2, "Product " + i);
                products.setBigDecimal(3, price(i));
                products.addBatch();
            }
            products.executeBatch();
            for (int i = 1; i <= ORDERS; i++) {
                int product = 1 + (i * 7) % PRODUCTS;
                int quantity = 1 + i % 5;
                orders.setLong(1, i);
                orders.setLong(2, 1 + (i * 13) % CUSTOMERS);
                orders.setLong(3, product);
                orders.setInt(4, quantity);
                orders.setBigDecimal(5, price(product).multiply(BigDecimal.valueOf(quantity)));
                orders.setObject(6, start.plusDays(i % 300).plusMinutes(i));
                orders.addBatch();
            }
            orders.executeBatch();
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static BigDecimal price(int product) {
        return BigDecimal.valueOf(499 + product * 250L, 2);
    }
}
