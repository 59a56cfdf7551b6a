package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shardwire.config.ConfigLoader;
import io.shardwire.embedded.ClusterSpec;
import io.shardwire.embedded.EmbeddedCluster;
import io.shardwire.proxy.ShardwireServer;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The router's promise, checked by difference: the same data lives in one plain database and
 * behind the proxy on 2 shard groups x 2 data nodes (tables sharded by hash, by range and by day or
 * month of a date, a binding table, a broadcast table and a single table), and a
 * seeded generator's SELECTs must return the same rows from both — in order where ORDER BY fixes
 * it, as multisets otherwise. Queries the proxy refuses are counted by construct and printed.
 * CI runs 2,000; the Maven profile {@code -Pdifferential} runs 50,000; {@code -Ddifferential.seed=N}
 * replays a run (the seed is printed, and named in every failure).
 */
class ShardedDifferentialIT {

    private static final int QUERIES = Integer.getInteger("differential.queries", 2000);
    private static final long SEED = Long.getLong("differential.seed", System.nanoTime());

    private static EmbeddedCluster cluster;
    private static ShardwireServer proxy;

    private static final String[] DDL = {
        "CREATE TABLE %s (id BIGINT PRIMARY KEY, customer_id INT NOT NULL, status VARCHAR(10), amount DECIMAL(10,2),"
                + " qty INT NOT NULL, country CHAR(2) NOT NULL, created DATE NOT NULL)",
        "CREATE TABLE %s (id BIGINT PRIMARY KEY, order_id BIGINT NOT NULL, customer_id INT NOT NULL,"
                + " sku VARCHAR(10) COLLATE utf8mb4_bin NOT NULL, price DECIMAL(8,2) NOT NULL)",
        "CREATE TABLE %s (code CHAR(2) PRIMARY KEY, name VARCHAR(20) NOT NULL)",
        "CREATE TABLE %s (id BIGINT PRIMARY KEY, score INT NOT NULL, label VARCHAR(10), country CHAR(2) NOT NULL)",
        "CREATE TABLE %s (id BIGINT PRIMARY KEY, happened DATETIME NOT NULL, kind VARCHAR(10) NOT NULL, score INT,"
                + " country CHAR(2) NOT NULL)",
        "CREATE TABLE %s (id BIGINT PRIMARY KEY, day DATE NOT NULL, customer_id INT NOT NULL, pages INT NOT NULL)",
        "CREATE TABLE %s (id BIGINT PRIMARY KEY, customer_id INT NOT NULL, body VARCHAR(20), country CHAR(2) NOT NULL)"
    };

    /** The logical tables, in {@link #DDL}'s order; all but countries (broadcast) and notes (single) are spread. */
    private static final String[] TABLES = {"orders", "order_items", "countries", "tiers", "events", "visits", "notes"};

    @BeforeAll
    static void start() throws Exception {
        Path dir = Path.of("target", "it-data", "differential").toAbsolutePath();
        cluster = EmbeddedCluster.start(ClusterSpec.of(dir.resolve("mariadb"), 2, 0));
        String[] nodes = {"shop_0", "shop_1", "shop_2", "shop_3"};
        for (int i = 0; i < nodes.length; i++) {
            try (Connection c = cluster.group(i < 2 ? "g0" : "g1").primary().connect(); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + nodes[i]);
                s.execute("CREATE DATABASE " + nodes[i]);
                for (int t = 0; t < TABLES.length; t++) {
                    if (TABLES[t].equals("countries")) {
                        s.execute(DDL[t].formatted(nodes[i] + ".countries"));
                    } else if (TABLES[t].equals("notes")) {
                        if (nodes[i].equals("shop_1")) {
                            s.execute(DDL[t].formatted(nodes[i] + ".notes"));
                        }
                    } else {
                        s.execute(DDL[t].formatted(nodes[i] + "." + TABLES[t] + "_" + i));
                    }
                }
            }
        }
        try (Connection c = cluster.group("g0").primary().connect(); Statement s = c.createStatement()) {
            // The schema's default database, on its default group, holds tables with no placement of their own.
            s.execute("CREATE DATABASE IF NOT EXISTS shop");
            s.execute("DROP DATABASE IF EXISTS ref");
            s.execute("CREATE DATABASE ref");
            for (int t = 0; t < TABLES.length; t++) {
                s.execute(DDL[t].formatted("ref." + TABLES[t]));
            }
        }
        String yaml = """
                server:
                  port: %d
                  httpPort: %d
                  dataDir: '%s'
                  users: [{name: app, password: app, schemas: [shop]}]
                shardGroups:
                  - {name: g0, primary: {port: %d, user: shardwire, password: shardwire}}
                  - {name: g1, primary: {port: %d, user: shardwire, password: shardwire}}
                schemas:
                  - name: shop
                    defaultShardGroup: g0
                    dataNodes: {shop_0: g0, shop_1: g0, shop_2: g1, shop_3: g1}
                    tables:
                      orders: {kind: sharded, shardKey: customer_id, algorithm: {type: hash}, physicalTable: 'orders_${index}'}
                      order_items: {kind: binding, bindTo: orders, shardKey: customer_id, physicalTable: 'order_items_${index}'}
                      countries: {kind: broadcast}
                      tiers: {kind: sharded, shardKey: score, algorithm: {type: range, boundaries: [100, 250, 500]},
                              physicalTable: 'tiers_${index}'}
                      events: {kind: sharded, shardKey: happened, algorithm: {type: date, unit: month}, buckets: 12,
                               physicalTable: 'events_${index}'}
                      visits: {kind: sharded, shardKey: day, algorithm: {type: date, unit: day}, buckets: 8,
                               physicalTable: 'visits_${index}'}
                      notes: {kind: single, dataNode: shop_1}
                """.formatted(ProxyFixture.freePort(), ProxyFixture.freePort(), dir.resolve("proxy"),
                cluster.group("g0").primary().port(), cluster.group("g1").primary().port());
        proxy = ShardwireServer.start(ConfigLoader.parse(yaml, "differential.yaml"));
        load(new Random(SEED));
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

    private static Connection viaProxy() throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + proxy.port() + "/shop?sslMode=DISABLED", "app", "app");
    }

    private static Connection reference() throws SQLException {
        Connection c = cluster.group("g0").primary().connect();
        c.setCatalog("ref");
        return c;
    }

    private static final String[] STATUSES = {"'new'", "'paid'", "'shipped'", "NULL"};
    private static final String[] COUNTRIES = {"DE", "FR", "JP", "US", "BR"};
    private static final String[] KINDS = {"click", "view", "buy"};
    private static final java.time.LocalDate VISIT_START = java.time.LocalDate.of(2026, 1, 1);
    private static final int VISIT_DAYS = 40;

    /** A time in 2026, to the second (seconds always written: the router places only full DATETIME literals). */
    private static String eventTime(Random random) {
        return "2026-%02d-%02d %02d:%02d:%02d".formatted(1 + random.nextInt(12), 1 + random.nextInt(28), random.nextInt(24),
                random.nextInt(60), random.nextInt(60));
    }

    /** A date within the visits' days, or a few days around them. */
    private static String visitDay(Random random) {
        return VISIT_START.plusDays(random.nextInt(VISIT_DAYS + 6) - 3).toString();
    }

    /** The same rows through the proxy (routed by customer_id) and straight into the reference. */
    private static void load(Random random) throws SQLException {
        List<String> countries = new ArrayList<>();
        for (int i = 0; i < COUNTRIES.length; i++) {
            countries.add("('" + COUNTRIES[i] + "', 'Country " + (char) ('E' - i) + "')");
        }
        List<String> orders = new ArrayList<>();
        List<String> items = new ArrayList<>();
        long itemId = 1;
        for (long id = 1; id <= 400; id++) {
            int customer = 1 + random.nextInt(40);
            String amount = random.nextInt(10) == 0 ? "NULL" : BigDecimal.valueOf(random.nextInt(100_000), 2).toPlainString();
            orders.add("(" + id + ", " + customer + ", " + STATUSES[random.nextInt(STATUSES.length)] + ", " + amount + ", "
                    + (1 + random.nextInt(9)) + ", '" + COUNTRIES[random.nextInt(COUNTRIES.length)] + "', '2026-0"
                    + (1 + random.nextInt(9)) + "-1" + random.nextInt(10) + "')");
            for (int k = random.nextInt(3); k >= 0; k--) {
                // Mixed case under a binary collation: merges must order and group them as the server does.
                items.add("(" + itemId++ + ", " + id + ", " + customer + ", '" + (random.nextBoolean() ? "sku" : "SKU")
                        + random.nextInt(20) + "', "
                        + BigDecimal.valueOf(random.nextInt(10_000), 2).toPlainString() + ")");
            }
        }
        List<String> tiers = new ArrayList<>();
        List<String> events = new ArrayList<>();
        List<String> visits = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (long id = 1; id <= 200; id++) {
            tiers.add("(" + id + ", " + random.nextInt(800) + ", " + (random.nextInt(8) == 0 ? "NULL" : "'t" + random.nextInt(5) + "'")
                    + ", '" + COUNTRIES[random.nextInt(COUNTRIES.length)] + "')");
            events.add("(" + id + ", '" + eventTime(random) + "', '" + KINDS[random.nextInt(KINDS.length)] + "', "
                    + (random.nextInt(6) == 0 ? "NULL" : String.valueOf(random.nextInt(100))) + ", '"
                    + COUNTRIES[random.nextInt(COUNTRIES.length)] + "')");
            visits.add("(" + id + ", '" + VISIT_START.plusDays(random.nextInt(VISIT_DAYS)) + "', " + (1 + random.nextInt(40))
                    + ", " + (1 + random.nextInt(30)) + ")");
            if (id <= 60) {
                notes.add("(" + id + ", " + (1 + random.nextInt(40)) + ", " + (random.nextInt(5) == 0 ? "NULL" : "'note " + id + "'")
                        + ", '" + COUNTRIES[random.nextInt(COUNTRIES.length)] + "')");
            }
        }
        for (Connection c : List.of(viaProxy(), reference())) {
            try (c; Statement s = c.createStatement()) {
                s.execute("INSERT INTO tiers (id, score, label, country) VALUES " + String.join(", ", tiers));
                s.execute("INSERT INTO events (id, happened, kind, score, country) VALUES " + String.join(", ", events));
                s.execute("INSERT INTO visits (id, day, customer_id, pages) VALUES " + String.join(", ", visits));
                s.execute("INSERT INTO notes (id, customer_id, body, country) VALUES " + String.join(", ", notes));
                s.execute("INSERT INTO countries (code, name) VALUES " + String.join(", ", countries));
                for (int from = 0; from < orders.size(); from += 100) {
                    s.execute("INSERT INTO orders (id, customer_id, status, amount, qty, country, created) VALUES " + String.join(", ", orders.subList(from, Math.min(orders.size(), from + 100))));
                }
                for (int from = 0; from < items.size(); from += 100) {
                    s.execute("INSERT INTO order_items (id, order_id, customer_id, sku, price) VALUES " + String.join(", ", items.subList(from, Math.min(items.size(), from + 100))));
                }
            }
        }
    }

    /** A generated query and whether its ORDER BY fixes the order of every row. */
    private record Query(String sql, boolean ordered) {
    }

    private static String filter(Random random) {
        int customer = 1 + random.nextInt(40);
        return switch (random.nextInt(9)) {
            case 0, 1 -> "";
            case 2 -> " WHERE customer_id = " + customer;
            case 3 -> " WHERE customer_id IN (" + customer + ", " + (1 + random.nextInt(40)) + ", " + (1 + random.nextInt(40)) + ")";
            case 4 -> " WHERE customer_id BETWEEN " + customer + " AND " + (customer + random.nextInt(10));
            case 5 -> " WHERE status = " + STATUSES[random.nextInt(3)];
            case 6 -> " WHERE amount > " + random.nextInt(1000);
            case 7 -> " WHERE (customer_id = " + customer + " OR status IS NULL)";
            default -> " WHERE qty >= " + random.nextInt(10) + " AND country <> '" + COUNTRIES[random.nextInt(5)] + "'";
        };
    }

    /** Filters on the range-sharded key: none, =, IN, BETWEEN, half-open and open ranges. */
    private static String scoreFilter(Random random) {
        int low = random.nextInt(800);
        return switch (random.nextInt(7)) {
            case 0 -> "";
            case 1 -> " WHERE score = " + low;
            case 2 -> " WHERE score IN (" + low + ", " + random.nextInt(800) + ")";
            case 3 -> " WHERE score BETWEEN " + low + " AND " + (low + random.nextInt(300));
            case 4 -> " WHERE score >= " + low + " AND score < " + (low + random.nextInt(200));
            case 5 -> " WHERE score < " + low;
            default -> " WHERE score > " + low + " OR score BETWEEN 240 AND 260";
        };
    }

    /** Filters on the month-sharded DATETIME key: none, BETWEEN, half-open month ranges, = a time. */
    private static String timeFilter(Random random) {
        int month = 1 + random.nextInt(12);
        String start = "2026-%02d-%02d".formatted(month, 1 + random.nextInt(28));
        return switch (random.nextInt(5)) {
            case 0 -> "";
            case 1 -> " WHERE happened BETWEEN '" + start + "' AND '" + start.substring(0, 5) + "%02d-15 12:00:00'"
                    .formatted(Math.min(12, month + random.nextInt(3)));
            case 2 -> " WHERE happened >= '2026-%02d-01' AND happened < '2026-%02d-01'".formatted(month, Math.min(12, month + 1));
            case 3 -> " WHERE happened < '" + start + "'";
            default -> " WHERE happened BETWEEN '" + start + "' AND '" + start + " 23:59:59' AND kind <> 'view'";
        };
    }

    private static String limit(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> "";
            case 1 -> " LIMIT " + (1 + random.nextInt(20));
            default -> " LIMIT " + (1 + random.nextInt(20)) + " OFFSET " + random.nextInt(30);
        };
    }

    private static Query generate(Random random) {
        String where = filter(random);
        String direction = random.nextBoolean() ? "ASC" : "DESC";
        return switch (random.nextInt(21)) {
            case 0 -> new Query("SELECT id, customer_id, status, amount FROM orders" + where
                    + " ORDER BY " + List.of("amount", "status", "qty", "created").get(random.nextInt(4)) + " " + direction
                    + ", id" + limit(random), true);
            case 1 -> new Query("SELECT COUNT(*), SUM(amount), AVG(amount), MIN(amount), MAX(amount), COUNT(amount), SUM(qty)"
                    + " FROM orders" + where, true);
            case 2 -> new Query("SELECT status, COUNT(*), SUM(qty), MAX(created) FROM orders" + where + " GROUP BY status"
                    + (random.nextBoolean() ? " HAVING COUNT(*) > " + random.nextInt(60) : "")
                    + (random.nextBoolean() ? " ORDER BY status " + direction : " ORDER BY 2 " + direction + ", status"), true);
            case 3 -> new Query("SELECT DISTINCT status, country FROM orders" + where, false);
            case 4 -> new Query("SELECT o.id, i.sku, i.price FROM orders o JOIN order_items i ON o.customer_id = i.customer_id"
                    + " AND o.id = i.order_id" + where.replace("customer_id", "o.customer_id").replace(" status", " o.status")
                    .replace("amount", "o.amount").replace("qty", "o.qty").replace("country", "o.country")
                    + " ORDER BY o.id, i.id" + limit(random), true);
            case 5 -> new Query("SELECT customer_id, count(distinct status), AVG(qty) FROM orders" + where
                    + " GROUP BY customer_id ORDER BY customer_id " + direction + limit(random), true);
            case 6 -> new Query("SELECT c.name, COUNT(*), SUM(o.amount) FROM orders o JOIN countries c ON o.country = c.code"
                    + where.replace("customer_id", "o.customer_id").replace(" status", " o.status")
                    .replace("amount", "o.amount").replace("qty", "o.qty").replace("country", "o.country")
                    + " GROUP BY c.name ORDER BY c.name", true);
            case 7 -> new Query("SELECT status, SUM(amount) / COUNT(*), GROUP_CONCAT(id ORDER BY id) FROM orders" + where
                    + " GROUP BY status ORDER BY status", true);
            case 8 -> new Query("SELECT o.id, i.sku FROM orders o JOIN order_items i ON o.id = i.order_id"
                    + where.replace("customer_id", "o.customer_id").replace(" status", " o.status")
                    .replace("amount", "o.amount").replace("qty", "o.qty").replace("country", "o.country")
                    + " ORDER BY o.id, i.sku, i.id", true);
            case 10 -> new Query("SELECT status, SUM(amount) / COUNT(*), count( * )+1, MAX(qty)-MIN(qty),"
                    + " ROUND(AVG(amount), " + random.nextInt(4) + "), AVG(qty) * 3, SUM(amount) / SUM(qty) FROM orders" + where
                    + " GROUP BY status"
                    + (random.nextBoolean() ? " HAVING SUM(amount) / COUNT(*) > " + random.nextInt(600) : "")
                    + " ORDER BY status " + direction, true);
            case 11 -> new Query("SELECT customer_id, ROUND(AVG(qty), 1) AS a, SUM(qty) * 2 - COUNT(*), -MIN(amount) / 3"
                    + " FROM orders" + where + " GROUP BY customer_id"
                    + (random.nextBoolean() ? " HAVING a >= " + random.nextInt(9) + "." + random.nextInt(10) : "")
                    + " ORDER BY a " + direction + ", customer_id" + limit(random), true);
            case 12 -> new Query("SELECT SUM(amount)/SUM(qty), MAX(amount) - MIN(amount), COUNT(*) * 2, round(sum(amount) / 7,3),"
                    + " AVG(amount) / 2, (COUNT(amount) + 0.5) / COUNT(*) FROM orders" + where, true);
            case 13 -> new Query("SELECT status, country, COUNT(*) FROM orders" + where + " GROUP BY status, country"
                    + " ORDER BY SUM(qty) / COUNT(*) " + direction + ", MAX(amount) - MIN(amount), status, country"
                    + limit(random), true);
            case 14 -> new Query("SELECT id, score, label FROM tiers" + scoreFilter(random) + " ORDER BY score " + direction
                    + ", id" + limit(random), true);
            case 15 -> new Query("SELECT label, COUNT(*), SUM(score), MIN(score), MAX(score) / COUNT(*) FROM tiers"
                    + scoreFilter(random) + " GROUP BY label ORDER BY label", true);
            case 16 -> new Query("SELECT id, happened, kind, score FROM events" + timeFilter(random) + " ORDER BY happened "
                    + direction + ", id" + limit(random), true);
            case 17 -> new Query("SELECT kind, COUNT(*), MIN(happened), MAX(score), AVG(score) FROM events" + timeFilter(random)
                    + " GROUP BY kind ORDER BY kind", true);
            case 18 -> {
                String day = visitDay(random);
                String filter = switch (random.nextInt(4)) {
                    case 0 -> " WHERE v.day = '" + day + "'";
                    case 1 -> " WHERE v.day BETWEEN '" + day + "' AND '" + java.time.LocalDate.parse(day).plusDays(random.nextInt(10)) + "'";
                    case 2 -> " WHERE v.day IN ('" + day + "', '" + visitDay(random) + "')";
                    default -> " WHERE v.day >= '" + day + "' AND v.pages > " + random.nextInt(20);
                };
                yield random.nextBoolean()
                        ? new Query("SELECT v.day, COUNT(*), SUM(v.pages) FROM visits v" + filter + " GROUP BY v.day ORDER BY v.day",
                                true)
                        : new Query("SELECT v.id, v.day, n.body FROM visits v JOIN notes n ON n.customer_id = v.customer_id"
                                + filter + " ORDER BY v.id, n.id", true);
            }
            case 19 -> {
                int customer = 1 + random.nextInt(40);
                yield switch (random.nextInt(4)) {
                    case 0 -> new Query("SELECT n.id, n.body, c.name FROM notes n JOIN countries c ON c.code = n.country"
                            + " WHERE n.customer_id <= " + customer + " ORDER BY n.id", true);
                    case 1 -> new Query("SELECT n.id, o.id FROM notes n JOIN orders o ON o.customer_id = n.customer_id"
                            + " WHERE o.customer_id = " + customer + " ORDER BY n.id, o.id", true);
                    case 2 -> new Query("SELECT t.id, t.score, c.name FROM tiers t JOIN countries c ON c.code = t.country"
                            + scoreFilter(random).replace("score", "t.score") + " ORDER BY t.score, t.id" + limit(random), true);
                    default -> new Query("SELECT c.name, COUNT(*), MAX(e.happened) FROM events e JOIN countries c"
                            + " ON c.code = e.country" + timeFilter(random).replace("happened", "e.happened")
                            + " GROUP BY c.name ORDER BY c.name", true);
                };
            }
            case 20 -> switch (random.nextInt(4)) {
                case 0 -> new Query("SELECT sku, COUNT(*) FROM order_items GROUP BY sku ORDER BY sku " + direction, true);
                case 1 -> new Query("SELECT COUNT(DISTINCT sku), MIN(sku), MAX(sku) FROM order_items", false);
                case 2 -> new Query("SELECT DISTINCT sku FROM order_items ORDER BY sku " + direction, true);
                default -> new Query("SELECT id, sku FROM order_items ORDER BY sku " + direction + ", id" + limit(random),
                        true);
            };
            default -> new Query("SELECT country, status, qty FROM orders" + where, false);
        };
    }

    private static List<List<String>> rows(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return read(rs, false);
        }
    }

    /** The column labels, then the rows: an application reading columns by name needs the names one database gives. */
    private static List<List<String>> labelledRows(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return read(rs, true);
        }
    }

    private static List<List<String>> read(ResultSet rs, boolean withLabels) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        int columns = rs.getMetaData().getColumnCount();
        if (withLabels) {
            List<String> labels = new ArrayList<>(columns);
            for (int i = 1; i <= columns; i++) {
                labels.add(rs.getMetaData().getColumnLabel(i));
            }
            rows.add(labels);
        }
        while (rs.next()) {
            List<String> row = new ArrayList<>(columns);
            for (int i = 1; i <= columns; i++) {
                row.add(rs.getString(i));
            }
            rows.add(row);
        }
        return rows;
    }

    private static List<List<String>> sorted(List<List<String>> rows) {
        return rows.stream().sorted(Comparator.comparing(Object::toString)).collect(Collectors.toList());
    }

    /** The shard group EXPLAIN SHARDWIRE names for a customer's orders. */
    private static String groupOf(Connection c, int customer) throws SQLException {
        return rows(c, "EXPLAIN SHARDWIRE SELECT * FROM orders WHERE customer_id = " + customer).getFirst().get(4);
    }

    /** Reads by the shard key too, so that inside a transaction it stays on the transaction's group. */
    private static long ordersWithId(Connection c, int customer, long id) throws SQLException {
        return Long.parseLong(rows(c, "SELECT COUNT(*) FROM orders WHERE customer_id = " + customer + " AND id = " + id)
                .getFirst().getFirst());
    }

    @Test
    void transactionsSpanShardGroupsAndEndTogether() throws Exception {
        int onG0 = 1;
        while (!groupOf(viaProxyShared(), onG0).equals("g0")) {
            onG0++;
        }
        int onG1 = 1;
        while (!groupOf(viaProxyShared(), onG1).equals("g1")) {
            onG1++;
        }
        String insert = "INSERT INTO orders (id, customer_id, status, amount, qty, country, created)"
                + " VALUES (%d, %d, 'new', 1.00, 1, 'DE', '2026-01-01')";
        try (Connection c = viaProxy(); Statement s = c.createStatement()) {
            s.execute("BEGIN");
            s.execute(insert.formatted(900_001, onG0));
            assertThat(ordersWithId(c, onG0, 900_001)).isEqualTo(1);
            s.execute(insert.formatted(900_002, onG1));
            assertThat(ordersWithId(c, onG1, 900_002)).isEqualTo(1);
            s.execute("ROLLBACK");
            assertThat(ordersWithId(c, onG0, 900_001)).isZero();
            assertThat(ordersWithId(c, onG1, 900_002)).isZero();

            c.setAutoCommit(false);
            s.execute(insert.formatted(900_003, onG1));
            c.commit();
            c.setAutoCommit(true);
        }
        try (Connection other = viaProxy(); Statement s = other.createStatement()) {
            assertThat(ordersWithId(other, onG1, 900_003)).isEqualTo(1);
            s.execute("DELETE FROM orders WHERE customer_id = " + onG1 + " AND id = 900003");
        }
    }

    private static Connection shared;

    private static Connection viaProxyShared() throws SQLException {
        if (shared == null) {
            shared = viaProxy();
        }
        return shared;
    }

    /** The column labels, then the rows. */
    private static List<List<String>> preparedRows(Connection c, String sql, Object... parameters) throws SQLException {
        try (var statement = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                return read(rs, true);
            }
        }
    }

    @Test
    void preparedStatementsOverSeveralNodesReturnWhatOneDatabaseReturns() throws Exception {
        String serverSide = "?sslMode=DISABLED&useServerPrepStmts=true&emulateUnsupportedPstmts=false";
        try (Connection shardwire = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + proxy.port() + "/shop"
                + serverSide, "app", "app");
             Connection single = DriverManager.getConnection(cluster.group("g0").primary().jdbcUrl("ref")
                     + "&useServerPrepStmts=true&emulateUnsupportedPstmts=false", "shardwire", "shardwire")) {
            String byCustomers = "SELECT id, customer_id, status, amount, created FROM orders"
                    + " WHERE customer_id IN (?, ?, ?) ORDER BY amount DESC, id LIMIT ?";
            for (int n = 0; n < 20; n++) {
                Object[] parameters = {1 + 2 * n % 40, 2 + 3 * n % 40, 3 + 5 * n % 40, 5 + n};
                assertThat(preparedRows(shardwire, byCustomers, parameters))
                        .as("%s %s", byCustomers, java.util.Arrays.toString(parameters))
                        .isEqualTo(preparedRows(single, byCustomers, parameters));
            }
            // Pages over every node: the prepare itself must plan the merge (it got an internal error).
            String page = "SELECT id, amount FROM orders WHERE qty >= ? ORDER BY amount DESC, id LIMIT ?, ?";
            for (Object[] parameters : new Object[][] {{0, 0, 10}, {2, 7, 5}, {1, "3", "4"}, {0, 5, null}}) {
                assertThat(preparedRows(shardwire, page, parameters))
                        .as("%s %s", page, java.util.Arrays.toString(parameters))
                        .isEqualTo(preparedRows(single, page, parameters));
            }
            String aggregates = "SELECT status, COUNT(*), SUM(amount), avg( qty ), MIN(created), MAX(amount)+0 FROM orders"
                    + " WHERE qty >= ? GROUP BY status ORDER BY status";
            for (int qty = 0; qty < 10; qty++) {
                assertThat(preparedRows(shardwire, aggregates, qty)).as("%s [%d]", aggregates, qty)
                        .isEqualTo(preparedRows(single, aggregates, qty));
            }
        }
    }

    @Test
    void sessionSetsReachEveryBackendConnectionOfTheSession() throws Exception {
        int onG1 = 1;
        while (!groupOf(viaProxyShared(), onG1).equals("g1")) {
            onG1++;
        }
        try (Connection c = viaProxy(); Statement s = c.createStatement()) {
            s.execute("SET @shardwire_marker = 42");
            assertThat(rows(c, "SELECT @shardwire_marker FROM orders WHERE customer_id = " + onG1 + " LIMIT 1"))
                    .containsExactly(List.of("42"));
            assertThat(rows(c, "SELECT MAX(@shardwire_marker), MIN(@shardwire_marker) FROM orders"))
                    .containsExactly(List.of("42", "42"));
        }
        try (Connection fresh = viaProxy()) {
            assertThat(rows(fresh, "SELECT MAX(@shardwire_marker) FROM orders")).containsExactly(java.util.Collections.singletonList(null));
        }
    }

    @Test
    void aSessionThatSetsTheSameVariablesOnEveryRequestKeepsGoing() throws Exception {
        try (Connection c = viaProxy(); Statement s = c.createStatement()) {
            s.execute("SET @first = 1");
            s.execute("SET @copy = @first"); // read: the earlier @first must stay for connections replaying the SETs
            s.execute("SET @first = 2");
            for (int request = 1; request <= 200; request++) {
                s.execute("SET @request_id = " + request);
                s.execute("SET time_zone = '+0" + request % 10 + ":00'");
            }
            // A scatter read takes pooled connections and replays the session's SETs on them.
            assertThat(rows(c, "SELECT MAX(@request_id), MIN(@request_id), MAX(@copy), MIN(@first), MAX(@@time_zone)"
                    + " FROM orders")).containsExactly(List.of("200", "200", "1", "2", "+00:00"));
        }
    }

    @Test
    void aScatterReadRunsOnEveryNodeAtOnceAndKillQueryStopsThemAll() throws Exception {
        try (Connection victim = viaProxy(); Connection killer = viaProxy()) {
            long id = victim.unwrap(com.mysql.cj.jdbc.JdbcConnection.class).getId();
            try {
                CompletableFuture<Throwable> sleeping = CompletableFuture.supplyAsync(() -> {
                    try (Statement s = victim.createStatement()) {
                        s.executeQuery("SELECT SLEEP(60) FROM orders").close();
                        return null;
                    } catch (SQLException e) {
                        return e;
                    }
                });
                try {
                    // All four data nodes (two per group) sleep at the same time, not one after another.
                    await().atMost(Duration.ofSeconds(30)).until(() -> sleepers("g0") == 2 && sleepers("g1") == 2);
                } finally {
                    killer.createStatement().execute("KILL QUERY " + id);
                }
                Throwable outcome = sleeping.get(30, TimeUnit.SECONDS);
                assertThat(outcome).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1317));
                await().atMost(Duration.ofSeconds(30)).until(() -> sleepers("g0") == 0 && sleepers("g1") == 0);
            } finally {
                // Closing a connection waits for its running statement; when the nodes ran one after another the
                // test would hang for minutes instead of failing, so the socket is dropped instead.
                victim.abort(Runnable::run);
            }
        }
    }

    private static int sleepers(String group) throws SQLException {
        try (Connection direct = cluster.group(group).primary().connect(); Statement s = direct.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.processlist"
                     + " WHERE info LIKE 'SELECT SLEEP(60) FROM%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void showTablesListsLogicalNames() throws Exception {
        try (Connection c = viaProxy()) {
            assertThat(rows(c, "SHOW TABLES")).containsExactly(List.of("countries"), List.of("events"), List.of("notes"),
                    List.of("order_items"), List.of("orders"), List.of("tiers"), List.of("visits"));
            assertThat(rows(c, "SHOW FULL TABLES FROM shop")).contains(List.of("orders", "BASE TABLE"));
            assertThat(rows(c, "/* a tool's comment */ SHOW TABLES LIKE 'order%'"))
                    .containsExactly(List.of("order_items"), List.of("orders"));
        }
    }

    @Test
    void showTablesWhereFiltersLogicalNamesAsOneDatabaseDoes() throws Exception {
        List<String> forms = List.of("SHOW TABLES WHERE Tables_in_{s} LIKE 'ORDER%'",
                "SHOW TABLES WHERE tables_in_{s} > 'N' AND Tables_in_{s} <> 'tiers' OR Tables_in_{s} = 'COUNTRIES'",
                "SHOW TABLES WHERE Tables_in_{s} IN ('orders', 'VISITS', 'nope')", "SHOW TABLES WHERE 1;",
                "SHOW FULL TABLES WHERE Table_type = 'BASE TABLE' AND Tables_in_{s} LIKE '%s'",
                "SHOW FULL TABLES WHERE Table_type = 'VIEW'");
        try (Connection c = viaProxy(); Connection single = reference()) {
            for (String form : forms) {
                String viaShardwire = form.replace("{s}", "shop");
                String expected = form.replace("{s}", "ref");
                assertThat(rows(c, viaShardwire)).as(viaShardwire).isEqualTo(rows(single, expected));
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW FULL TABLES FROM shop WHERE 1")) {
                assertThat(rs.getMetaData().getColumnLabel(1)).isEqualTo("Tables_in_shop");
                assertThat(rs.getMetaData().getColumnLabel(2)).isEqualTo("Table_type");
            }
            assertThat(rows(c, "SHOW TABLES WHERE Tables_in_shop LIKE 'orders_%'")).as("no physical name").isEmpty();
            for (String unknown : List.of("SHOW TABLES WHERE Table_type = 'VIEW'", "SHOW TABLES WHERE nope = 1")) {
                assertThatThrownBy(() -> rows(c, unknown)).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getErrorCode()).as(e.getMessage()).isEqualTo(1054));
            }
            assertThatThrownBy(() -> rows(c, "SHOW TABLES WHERE Tables_in_shop IN (SELECT 'orders')"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(1235);
                        assertThat(e.getMessage()).contains("SHOW TABLES WHERE with a subquery");
                    });
        }
    }

    /** MariaDB names an unaliased expression's column by its text as written; nodes get JSqlParser's writing of it. */
    @Test
    void resultColumnsAreNamedAsOneDatabaseNamesThem() throws Exception {
        List<String> queries = List.of(
                "SELECT id+1, amount*2, COUNT( * ) FROM orders WHERE customer_id = 3 GROUP BY id",
                "SELECT orders.id+0, (SELECT MAX(sku) FROM order_items i WHERE i.customer_id = orders.customer_id"
                        + " AND i.order_id = orders.id) FROM orders"
                        + " WHERE customer_id = 3",
                "SELECT status, count(*), sum( qty ), max(amount)-min(amount) FROM orders GROUP BY status",
                "SELECT 1+1, 'x' , concat('a' , 'b'), /* c */ 2*3 /* d */, (code), (1+2) FROM countries LIMIT 1",
                "SELECT database(), user() IS NOT NULL, 1+1",
                "SELECT o.id, i.price*i.order_id FROM orders o JOIN order_items i ON o.customer_id = i.customer_id"
                        + " AND o.id = i.order_id WHERE o.customer_id = 4");
        try (Connection shardwire = viaProxy(); Connection single = reference()) {
            for (String sql : queries) {
                assertThat(labelledRows(shardwire, sql).getFirst()).as(sql)
                        .isEqualTo(labelledRows(single, sql).getFirst());
            }
        }
        String serverSide = "useServerPrepStmts=true&emulateUnsupportedPstmts=false";
        try (Connection shardwire = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + proxy.port() + "/shop"
                + "?sslMode=DISABLED&" + serverSide, "app", "app");
             Connection single = DriverManager.getConnection(cluster.group("g0").primary().jdbcUrl("ref") + "&"
                     + serverSide, "shardwire", "shardwire")) {
            for (String sql : List.of("SELECT ?+1, amount*?, `qty`+? FROM orders WHERE customer_id = ? ORDER BY id",
                    "SELECT status, count( * ), ?+1 FROM orders WHERE qty >= ? GROUP BY status ORDER BY status")) {
                Object[] parameters = sql.startsWith("SELECT ?") ? new Object[] {1, 2, 3, 4} : new Object[] {5, 2};
                assertThat(preparedRows(shardwire, sql, parameters)).as(sql).isEqualTo(preparedRows(single, sql, parameters));
            }
        }
    }

    @Test
    void generatedQueriesReturnWhatOneDatabaseReturns() throws Exception {
        Random random = new Random(SEED + 1);
        Map<String, Integer> refusals = new TreeMap<>();
        int compared = 0;
        try (Connection shardwire = viaProxy(); Connection single = reference()) {
            for (int n = 0; n < QUERIES; n++) {
                Query query = generate(random);
                List<List<String>> expected = labelledRows(single, query.sql());
                List<List<String>> actual;
                try {
                    actual = labelledRows(shardwire, query.sql());
                } catch (SQLException refused) {
                    assertThat(refused.getErrorCode()).as("seed %d, query %s: %s", SEED, query.sql(), refused.getMessage())
                            .isIn(1105, 1235);
                    refusals.merge(refused.getMessage().replaceAll("[0-9]+", "N"), 1, Integer::sum);
                    continue;
                }
                compared++;
                if (query.ordered()) {
                    assertThat(actual).as("seed %d, query %s", SEED, query.sql()).isEqualTo(expected);
                } else {
                    assertThat(sorted(actual)).as("seed %d, query %s", SEED, query.sql()).isEqualTo(sorted(expected));
                }
            }
        }
        System.out.printf("differential: seed %d, %d queries, %d compared equal, %d refused%n", SEED, QUERIES, compared,
                QUERIES - compared);
        refusals.forEach((construct, count) -> System.out.printf("  refused %5d x %s%n", count, construct));
        assertThat(compared).as("most generated queries are answered, not refused").isGreaterThan(QUERIES * 2 / 3);
    }
}
