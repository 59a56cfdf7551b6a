package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shardwire.embedded.ClusterSpec;
import io.shardwire.embedded.EmbeddedCluster;
import io.shardwire.embedded.EmbeddedServer;
import io.shardwire.proxy.xa.Failpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Transactions over two shard groups through a proxy in a child JVM: atomic commit, rollback and
 * client disconnect end every branch; savepoints and SELECTs over several data nodes run on the
 * transaction's own connections; a proxy halted at each step of the commit (failpoints) and
 * restarted settles both branches the same way; and the bank-transfer invariant holds while the
 * proxy is killed with SIGKILL under concurrent cross-group transfers.
 */
class CrossGroupTransactionIT {

    private static final int ACCOUNTS = 40;
    private static final long OPENING_BALANCE = 1_000;

    private static EmbeddedCluster cluster;
    private static ProxyProcess proxy;
    private static final List<Integer> onG0 = new ArrayList<>();
    private static final List<Integer> onG1 = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path dir = Path.of("target", "it-data", "xa").toAbsolutePath();
        cluster = EmbeddedCluster.start(ClusterSpec.of(dir.resolve("mariadb"), 2, 0));
        // The schema's default database, so that clients may connect to it; its data nodes come below.
        try (Connection c = cluster.group("g0").primary().connect()) {
            c.createStatement().execute("CREATE DATABASE IF NOT EXISTS shop");
        }
        proxy = new ProxyProcess(dir.resolve("proxy"), cluster, false);
        proxy.start(null);
        try (Connection c = proxy.app(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS shop");
            s.execute("DROP TABLE IF EXISTS customers");
            s.execute("CREATE TABLE customers (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
            for (int id = 1; id <= ACCOUNTS; id++) {
                s.execute("INSERT INTO customers (id, balance) VALUES (" + id + ", " + OPENING_BALANCE + ")");
                try (ResultSet plan = s.executeQuery("EXPLAIN SHARDWIRE SELECT * FROM customers WHERE id = " + id)) {
                    plan.next();
                    (plan.getString(5).equals("g0") ? onG0 : onG1).add(id);
                }
            }
        }
        assertThat(onG0).isNotEmpty();
        assertThat(onG1).isNotEmpty();
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void openingBalances() throws Exception {
        try (Connection c = proxy.app(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE customers SET balance = " + OPENING_BALANCE);
        }
    }

    @Test
    void commitOverTwoGroupsIsAtomicAndSeesItsOwnWrites() throws Exception {
        int a = onG0.getFirst();
        int b = onG1.getFirst();
        try (Connection c = proxy.app(); Statement s = c.createStatement(); Connection other = proxy.app()) {
            s.execute("BEGIN");
            s.executeUpdate("UPDATE customers SET balance = balance - 30 WHERE id = " + a);
            s.executeUpdate("UPDATE customers SET balance = balance + 30 WHERE id = " + b);
            // A SELECT over every data node, inside the transaction, on its connections.
            assertThat(rows(c, "SELECT id, balance FROM customers WHERE id IN (" + a + ", " + b + ") ORDER BY id"))
                    .containsExactlyElementsOf(a < b ? List.of(a + ":970", b + ":1030") : List.of(b + ":1030", a + ":970"));
            assertThat(total(c)).isEqualTo(ACCOUNTS * OPENING_BALANCE);
            assertThat(balance(other, a)).isEqualTo(OPENING_BALANCE);
            s.execute("COMMIT");
            assertThat(balance(other, a)).isEqualTo(970);
            assertThat(balance(other, b)).isEqualTo(1030);
        }
        assertThat(xaTransactions("commit")).isGreaterThanOrEqualTo(1);
        assertNoXaLeft();
    }

    @Test
    void aGroupWithoutTheMarkerTableGetsItAtItsFirstCrossGroupCommit() throws Exception {
        // As after a start whose recovery could not reach the groups in time: no commit marker table anywhere.
        for (String group : List.of("g0", "g1")) {
            try (Connection c = cluster.group(group).primary().connect(); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE shardwire_xa");
            }
        }
        int a = onG0.getFirst();
        int b = onG1.getFirst();
        // The first group a transaction writes holds its marker: one transfer begins on each group.
        try (Connection c = proxy.app(); Statement s = c.createStatement()) {
            for (int[] pair : new int[][] {{a, b}, {b, a}}) {
                s.execute("BEGIN");
                s.executeUpdate("UPDATE customers SET balance = balance - 5 WHERE id = " + pair[0]);
                s.executeUpdate("UPDATE customers SET balance = balance + 5 WHERE id = " + pair[1]);
                s.execute("COMMIT");
            }
            assertThat(balance(c, a)).isEqualTo(OPENING_BALANCE);
            assertThat(balance(c, b)).isEqualTo(OPENING_BALANCE);
        }
        assertNoXaLeft();
    }

    @Test
    void rollbackAndClientDisconnectEndEveryBranch() throws Exception {
        int a = onG0.getFirst();
        int b = onG1.getFirst();
        try (Connection c = proxy.app(); Statement s = c.createStatement()) {
            s.execute("BEGIN");
            s.executeUpdate("UPDATE customers SET balance = 0 WHERE id = " + a);
            s.executeUpdate("UPDATE customers SET balance = 0 WHERE id = " + b);
            s.execute("ROLLBACK");
            assertThat(balance(c, a)).isEqualTo(OPENING_BALANCE);
            assertThat(balance(c, b)).isEqualTo(OPENING_BALANCE);
        }
        Connection leaving = proxy.app();
        try (Statement s = leaving.createStatement()) {
            s.execute("BEGIN");
            s.executeUpdate("UPDATE customers SET balance = 0 WHERE id = " + b);
            s.executeUpdate("UPDATE customers SET balance = 0 WHERE id = " + a);
        }
        leaving.abort(Runnable::run);
        try (Connection c = proxy.app(); Statement s = c.createStatement()) {
            // Both rows are unlocked again (the proxy rolled both branches back) and unchanged.
            s.execute("SET innodb_lock_wait_timeout = 1");
            await().atMost(Duration.ofSeconds(60)).ignoreException(SQLException.class).untilAsserted(() ->
                    assertThat(s.executeUpdate("UPDATE customers SET balance = balance WHERE id IN (" + a + ", " + b + ")"))
                            .as("rows matched (Connector/J asks for found rows)").isEqualTo(2));
            assertThat(balance(c, a)).isEqualTo(OPENING_BALANCE);
            assertThat(balance(c, b)).isEqualTo(OPENING_BALANCE);
        }
        assertNoXaLeft();
    }

    /**
     * A deadlock whose cycle spans two groups, which neither server sees (each has one lock wait): the proxy breaks it
     * within seconds instead of both waiting out innodb_lock_wait_timeout (50 s). The session that connected last is
     * the victim: its statement fails with 1213 / 40001 naming the groups and its transaction is rolled back on both;
     * the other one's statement then gets its lock, and it commits.
     */
    @Test
    void aDeadlockAcrossTwoGroupsIsBrokenWithinSecondsRollingTheVictimBackOnBoth() throws Exception {
        int a = onG0.getFirst();
        int b = onG1.getFirst();
        double broken = proxy.metrics().value("shardwire_global_deadlocks_total");
        // Each waiting statement needs a thread of its own (the common pool may have one).
        try (Connection first = proxy.app(); Statement f = first.createStatement();
             Connection second = proxy.app(); Statement s = second.createStatement();
             var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            f.execute("BEGIN");
            f.executeUpdate("UPDATE customers SET balance = balance - 7 WHERE id = " + a);
            s.execute("BEGIN");
            s.executeUpdate("UPDATE customers SET balance = balance - 9 WHERE id = " + b);
            var firstWaits = CompletableFuture.supplyAsync(() -> update(f,
                    "UPDATE customers SET balance = balance + 7 WHERE id = " + b), threads);
            awaitLockWaits("g1", 1);
            // A wait that is no cycle is left alone, however many checks see it.
            Thread.sleep(1_000);
            assertThat(firstWaits).as("the first session's wait, before the cycle closes").isNotDone();
            long cycleClosed = System.nanoTime();
            var secondWaits = CompletableFuture.supplyAsync(() -> update(s,
                    "UPDATE customers SET balance = balance + 9 WHERE id = " + a), threads);

            assertThatThrownBy(() -> secondWaits.get(20, TimeUnit.SECONDS))
                    .as("the victim's statement, well before innodb_lock_wait_timeout")
                    .hasCauseInstanceOf(SQLException.class)
                    .satisfies(e -> {
                        SQLException deadlock = (SQLException) e.getCause();
                        assertThat(deadlock.getErrorCode()).isEqualTo(1213);
                        assertThat(deadlock.getSQLState()).isEqualTo("40001");
                        assertThat(deadlock.getMessage()).startsWith("Deadlock found when trying to get lock")
                                .contains("across shard groups g0, g1");
                    });
            assertThat(firstWaits.get(20, TimeUnit.SECONDS)).isEqualTo(1);
            System.out.printf("Deadlock across g0 and g1 broken %d ms after the cycle closed%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cycleClosed));
            f.execute("COMMIT");
            // The victim's transaction is over: a new one begins and ends cleanly.
            s.execute("BEGIN");
            s.execute("COMMIT");
        }
        try (Connection other = proxy.app()) {
            assertThat(balance(other, a)).as("the winner's write, the victim's undone").isEqualTo(OPENING_BALANCE - 7);
            assertThat(balance(other, b)).as("the victim's write on the other group undone too")
                    .isEqualTo(OPENING_BALANCE + 7);
        }
        assertThat(proxy.metrics().value("shardwire_global_deadlocks_total")).isEqualTo(broken + 1);
        assertNoXaLeft();
    }

    private static int update(Statement statement, String sql) {
        try {
            return statement.executeUpdate(sql);
        } catch (SQLException e) {
            throw new CompletionException(e);
        }
    }

    /** Waits until the group's primary has {@code count} transactions waiting for a lock. */
    private static void awaitLockWaits(String group, int count) throws SQLException {
        try (Connection c = cluster.group(group).primary().connect(); Statement d = c.createStatement()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                try (ResultSet rs = d.executeQuery(
                        "SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'")) {
                    rs.next();
                    return rs.getInt(1) == count;
                }
            });
        }
    }

    /**
     * A deadlock on one group rolls the victim's whole transaction back there; as on one server, its other
     * group's branch is rolled back too, and its next BEGIN starts afresh (it used to commit that half first).
     */
    @Test
    void aDeadlockRollsBackTheWholeTransactionOnEveryGroup() throws Exception {
        int a = onG0.getFirst();
        int x = onG1.get(0);
        int y = onG1.get(1);
        try (Connection victim = proxy.app(); Statement v = victim.createStatement();
             Connection winner = proxy.app(); Statement w = winner.createStatement()) {
            v.execute("BEGIN");
            v.executeUpdate("UPDATE customers SET balance = balance - 1 WHERE id = " + a);
            v.executeUpdate("UPDATE customers SET balance = balance - 1 WHERE id = " + x);
            w.execute("BEGIN");
            // The winner holds more locks on g1, so InnoDB picks the victim's lighter branch.
            w.executeUpdate("UPDATE customers SET balance = balance + 1 WHERE id IN (" + y + ", "
                    + String.join(", ", onG1.subList(2, 6).stream().map(String::valueOf).toList()) + ")");
            var blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    return v.executeUpdate("UPDATE customers SET balance = balance - 1 WHERE id = " + y);
                } catch (SQLException e) {
                    throw new CompletionException(e);
                }
            });
            try (Connection g1 = cluster.group("g1").primary().connect(); Statement d = g1.createStatement()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    try (ResultSet rs = d.executeQuery(
                            "SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'")) {
                        rs.next();
                        return rs.getInt(1) == 1;
                    }
                });
            }
            w.executeUpdate("UPDATE customers SET balance = balance + 1 WHERE id = " + x);
            assertThatThrownBy(blocked::join).hasCauseInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e.getCause()).getErrorCode()).isEqualTo(1213));
            w.execute("COMMIT");

            v.execute("BEGIN");
            v.execute("COMMIT");
        }
        try (Connection c = proxy.app(); Statement s = c.createStatement()) {
            s.execute("SET innodb_lock_wait_timeout = 1");
            assertThat(s.executeUpdate("UPDATE customers SET balance = balance WHERE id = " + a))
                    .as("the victim's g0 row is unlocked").isEqualTo(1);
            assertThat(balance(c, a)).as("and unchanged").isEqualTo(OPENING_BALANCE);
            assertThat(balance(c, x)).isEqualTo(OPENING_BALANCE + 1);
            assertThat(balance(c, y)).isEqualTo(OPENING_BALANCE + 1);
        }
        assertNoXaLeft();
    }

    @Test
    void savepointsAutocommitOffAndReadOnlySpanGroups() throws Exception {
        int a = onG0.getFirst();
        int b = onG1.getFirst();
        try (Connection c = proxy.app(); Statement s = c.createStatement()) {
            s.execute("BEGIN");
            s.executeUpdate("UPDATE customers SET balance = balance - 10 WHERE id = " + a);
            s.execute("SAVEPOINT s1");
            // g1 joins after the savepoint: ROLLBACK TO s1 undoes all of its work.
            s.executeUpdate("UPDATE customers SET balance = balance + 10 WHERE id = " + b);
            s.executeUpdate("UPDATE customers SET balance = balance - 5 WHERE id = " + a);
            s.execute("ROLLBACK TO SAVEPOINT s1");
            assertThatThrownBy(() -> s.execute("RELEASE SAVEPOINT nosuch"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1305));
            s.execute("COMMIT");
            assertThat(balance(c, a)).isEqualTo(990);
            assertThat(balance(c, b)).isEqualTo(OPENING_BALANCE);

            c.setAutoCommit(false);
            s.executeUpdate("UPDATE customers SET balance = balance + 10 WHERE id = " + a);
            s.executeUpdate("UPDATE customers SET balance = balance - 10 WHERE id = " + b);
            c.commit();
            s.executeUpdate("UPDATE customers SET balance = 0 WHERE id = " + b);
            c.rollback();
            c.setAutoCommit(true);
            assertThat(balance(c, a)).isEqualTo(OPENING_BALANCE);
            assertThat(balance(c, b)).isEqualTo(990);

            s.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
            assertThat(rows(c, "SELECT @@tx_isolation")).containsExactly("READ-COMMITTED");
            s.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
            s.execute("START TRANSACTION READ ONLY");
            assertThat(total(c)).isEqualTo(ACCOUNTS * OPENING_BALANCE - 10);
            assertThatThrownBy(() -> s.executeUpdate("UPDATE customers SET balance = 0 WHERE id = " + a))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1792));
            s.execute("COMMIT");
        }
        assertNoXaLeft();
    }

    /** As in MariaDB, DDL first commits the open transaction, then runs outside it (never inside an XA branch). */
    @Test
    void ddlInsideATransactionCommitsItFirst() throws Exception {
        int a = onG0.getFirst();
        int b = onG1.getFirst();
        try (Connection c = proxy.app(); Statement s = c.createStatement(); Connection other = proxy.app()) {
            s.execute("BEGIN");
            s.executeUpdate("UPDATE customers SET balance = balance - 7 WHERE id = " + a);
            s.executeUpdate("UPDATE customers SET balance = balance + 7 WHERE id = " + b);
            s.execute("CREATE INDEX by_balance ON customers (balance)");
            s.execute("ROLLBACK");
            assertThat(balance(other, a)).isEqualTo(OPENING_BALANCE - 7);
            assertThat(balance(other, b)).isEqualTo(OPENING_BALANCE + 7);
            assertThat(indexes("g0", "by_balance")).isPositive();
            assertThat(indexes("g1", "by_balance")).isPositive();

            c.setAutoCommit(false);
            s.executeUpdate("UPDATE customers SET balance = balance + 7 WHERE id = " + a);
            s.executeUpdate("UPDATE customers SET balance = balance - 7 WHERE id = " + b);
            s.execute("DROP INDEX by_balance ON customers");
            c.rollback();
            c.setAutoCommit(true);
            assertThat(balance(other, a)).isEqualTo(OPENING_BALANCE);
            assertThat(balance(other, b)).isEqualTo(OPENING_BALANCE);
            assertThat(indexes("g0", "by_balance") + indexes("g1", "by_balance")).isZero();
        }
        assertNoXaLeft();
    }

    /** How many physical tables of the group have an index of this name. */
    private static int indexes(String group, String name) throws SQLException {
        try (Connection direct = cluster.group(group).primary().connect(); Statement s = direct.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(DISTINCT table_schema, table_name)"
                     + " FROM information_schema.STATISTICS WHERE index_name = '" + name + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * An autocommit INSERT of rows for both groups whose row on one group fails (duplicate key)
     * leaves no row on the other: the statement ran as one transaction and was rolled back, on
     * either group order.
     */
    @Test
    void anAutocommitInsertOverTwoGroupsIsAllOrNothing() throws Exception {
        int newOnG0 = newIdOn("g0");
        int newOnG1 = newIdOn("g1");
        double rolledBackBefore = xaTransactions("rollback");
        try (Connection c = proxy.app(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO customers (id, balance) VALUES (" + newOnG0
                    + ", 1), (" + onG1.getFirst() + ", 1)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1062));
            assertThat(rows(c, "SELECT COUNT(*) FROM customers WHERE id = " + newOnG0)).containsExactly("0");
            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO customers (id, balance) VALUES (" + onG0.getFirst()
                    + ", 1), (" + newOnG1 + ", 1)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1062));
            assertThat(rows(c, "SELECT COUNT(*) FROM customers WHERE id = " + newOnG1)).containsExactly("0");
            assertThat(total(c)).isEqualTo(ACCOUNTS * OPENING_BALANCE);
            // The session is out of any transaction: its next write over both groups commits by itself.
            assertThat(s.executeUpdate("INSERT INTO customers (id, balance) VALUES (" + newOnG0 + ", 0), (" + newOnG1
                    + ", 0)")).isEqualTo(2);
            try (Connection other = proxy.app()) {
                assertThat(rows(other, "SELECT COUNT(*) FROM customers")).containsExactly(String.valueOf(ACCOUNTS + 2));
            }
            assertThat(s.executeUpdate("DELETE FROM customers WHERE id IN (" + newOnG0 + ", " + newOnG1 + ")"))
                    .isEqualTo(2);
        }
        assertThat(xaTransactions("rollback")).as("XA rollbacks").isGreaterThanOrEqualTo(rolledBackBefore + 2);
        assertNoXaLeft();
    }

    /**
     * Inside a transaction, an INSERT over both groups whose row on one group fails (duplicate key) leaves no row on the
     * other, whichever runs first, as one server's failed statement does; the transaction goes on and commits its
     * earlier work.
     */
    @Test
    void aFailedWriteOverTwoGroupsInsideATransactionLeavesNothingOfItself() throws Exception {
        int a = onG0.getFirst();
        int newOnG0 = newIdOn("g0");
        int newOnG1 = newIdOn("g1");
        try (Connection c = proxy.app(); Statement s = c.createStatement(); Connection other = proxy.app()) {
            s.execute("BEGIN");
            s.executeUpdate("UPDATE customers SET balance = balance - 5 WHERE id = " + a);
            for (String rows : List.of(newOnG0 + ", 1), (" + onG1.getFirst() + ", 1", onG0.get(1) + ", 1), (" + newOnG1
                    + ", 1")) {
                assertThatThrownBy(() -> s.executeUpdate("INSERT INTO customers (id, balance) VALUES (" + rows + ")"))
                        .as(rows).isInstanceOfSatisfying(SQLException.class,
                                e -> assertThat(e.getErrorCode()).isEqualTo(1062));
            }
            assertThat(rows(c, "SELECT COUNT(*) FROM customers WHERE id IN (" + newOnG0 + ", " + newOnG1 + ")"))
                    .containsExactly("0");
            s.execute("COMMIT");
            assertThat(rows(other, "SELECT COUNT(*) FROM customers WHERE id IN (" + newOnG0 + ", " + newOnG1 + ")"))
                    .containsExactly("0");
            assertThat(balance(other, a)).isEqualTo(OPENING_BALANCE - 5);
        }
        assertNoXaLeft();
    }

    /**
     * Rows for two data nodes of one group, the existing row on each node in turn (so that it fails
     * after the other node's row went in, whichever node runs first): plainly one transaction there,
     * so the failing row takes the other with it.
     */
    @Test
    void anAutocommitInsertOverTwoNodesOfOneGroupIsAllOrNothing() throws Exception {
        Map<String, Integer> existingByNode = new TreeMap<>();
        for (int id : onG0) {
            existingByNode.putIfAbsent(placement(id), id);
        }
        assertThat(existingByNode).as("customers on each data node of g0").hasSize(2);
        try (Connection c = proxy.app(); Statement s = c.createStatement()) {
            for (Map.Entry<String, Integer> existing : existingByNode.entrySet()) {
                int fresh = ACCOUNTS + 1;
                while (!placement(fresh).endsWith(":g0") || placement(fresh).equals(existing.getKey())) {
                    fresh++;
                }
                String insert = "INSERT INTO customers (id, balance) VALUES (" + fresh + ", 1), (" + existing.getValue()
                        + ", 1)";
                assertThatThrownBy(() -> s.executeUpdate(insert)).as(insert)
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1062));
                assertThat(rows(c, "SELECT COUNT(*) FROM customers WHERE id = " + fresh)).as(insert).containsExactly("0");
            }
        }
        assertNoXaLeft();
    }

    @Test
    void aTransactionWhoseLaterGroupOnlyReadCommitsWithoutXa() throws Exception {
        double committedBefore = xaTransactions("commit");
        int a = onG0.getFirst();
        int b = onG1.getFirst();
        try (Connection c = proxy.app(); Statement s = c.createStatement(); Connection other = proxy.app()) {
            s.execute("BEGIN");
            s.executeUpdate("UPDATE customers SET balance = balance - 30 WHERE id = " + a);
            assertThat(balance(c, b)).isEqualTo(OPENING_BALANCE);
            assertThat(total(c)).isEqualTo(ACCOUNTS * OPENING_BALANCE - 30);
            s.execute("COMMIT");
            assertThat(balance(other, a)).isEqualTo(970);
            assertThat(xaTransactions("commit")).as("XA commits").isEqualTo(committedBefore);

            // The read-only branch ended: the same connection runs a transaction that writes on both groups.
            s.execute("BEGIN");
            s.executeUpdate("UPDATE customers SET balance = balance + 30 WHERE id = " + a);
            s.executeUpdate("UPDATE customers SET balance = balance - 30 WHERE id = " + b);
            s.execute("COMMIT");
            assertThat(balance(other, a)).isEqualTo(OPENING_BALANCE);
            assertThat(balance(other, b)).isEqualTo(970);
            assertThat(xaTransactions("commit")).as("XA commits").isEqualTo(committedBefore + 1);
        }
        assertNoXaLeft();
    }

    /**
     * A transaction's statements reach the backends as themselves, with nothing the driver adds around each:
     * Connector/J by default wraps every streamed result in two {@code SET net_write_timeout} round trips (two
     * thirds of a sysbench transaction's backend statements) and asks the server for
     * {@code @@session.transaction_read_only} before every write. A result still streams under the 600 s the
     * connection got once; a read-only transaction is still the server's to enforce.
     */
    @Test
    void aTransactionSendsTheBackendsOnlyItsOwnStatements() throws Exception {
        int a = onG0.getFirst();
        int b = onG1.getFirst();
        String probe = "probe-" + ThreadLocalRandom.current().nextInt(1_000_000);
        generalLog(true);
        try (Connection c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + proxy.port
                + "/shop?sslMode=DISABLED&useServerPrepStmts=true", "app", "app");
             Statement s = c.createStatement()) {
            s.execute("BEGIN");
            assertThat(rows(c, "SELECT '" + probe + "', balance FROM customers WHERE id IN (" + a + ", " + b + ")"))
                    .hasSize(2);
            try (PreparedStatement select = c.prepareStatement("SELECT @@net_write_timeout FROM customers WHERE id = ?")) {
                for (int id : List.of(a, b)) {
                    select.setInt(1, id);
                    try (ResultSet rs = select.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getInt(1)).as("net_write_timeout on the backend of %d", id).isEqualTo(600);
                    }
                }
            }
            s.executeUpdate("UPDATE customers SET balance = balance - 1 WHERE id = " + a);
            s.executeUpdate("UPDATE customers SET balance = balance + 1 WHERE id = " + b);
            s.execute("COMMIT");
            // Before the session ends: a connection going back to the pool is reset, with SETs of its own.
            generalLog(false);
        } finally {
            generalLog(false);
        }
        for (String group : List.of("g0", "g1")) {
            List<String> sent = sentAfter(group, probe);
            assertThat(sent).as("statements the transaction sent to %s", group)
                    .anyMatch(sql -> sql.startsWith("UPDATE"))
                    .noneMatch(sql -> sql.toUpperCase(java.util.Locale.ROOT).startsWith("SET"))
                    .noneMatch(sql -> sql.contains("transaction_read_only"));
        }
        // The first branch's COMMIT decides; the commit marker is deleted later, in a batch, not on this connection.
        assertThat(sentAfter("g0", probe)).as("statements the transaction sent to g0")
                .noneMatch(sql -> sql.startsWith("DELETE"))
                .filteredOn(sql -> sql.equals("COMMIT")).hasSize(1);
        assertNoXaLeft();
    }

    /**
     * A transaction that writes on its first group and only reads, through SELECTs that call no stored function, on
     * another ends that branch with XA END and XA COMMIT ONE PHASE alone: such a SELECT cannot write, so InnoDB is not
     * asked whether it did (a SELECT calling a stored function still is, see the next test).
     */
    @Test
    void aBranchOfProvablyWriteFreeSelectsEndsWithoutAskingInnoDb() throws Exception {
        int a = onG0.getFirst();
        int b = onG1.getFirst();
        String probe = "probe-" + ThreadLocalRandom.current().nextInt(1_000_000);
        generalLog(true);
        try (Connection c = proxy.app(); Statement s = c.createStatement()) {
            s.execute("BEGIN");
            s.executeUpdate("UPDATE customers SET balance = balance - 1 WHERE id = " + a);
            assertThat(rows(c, "SELECT '" + probe + "', balance FROM customers WHERE id = " + b)).hasSize(1);
            assertThat(rows(c, "SELECT COUNT(*), IFNULL(MAX(balance), 0) FROM customers WHERE id = " + b)).hasSize(1);
            s.execute("COMMIT");
            s.executeUpdate("UPDATE customers SET balance = balance + 1 WHERE id = " + a);
            generalLog(false);
        } finally {
            generalLog(false);
        }
        List<String> sent = sentAfter("g1", probe);
        assertThat(sent).as("statements the transaction sent to g1").hasSize(4);
        assertThat(sent.get(0)).contains(probe);
        assertThat(sent.get(1)).startsWith("SELECT COUNT(*)");
        assertThat(sent.get(2)).startsWith("XA END 'sw-");
        assertThat(sent.get(3)).startsWith("XA COMMIT 'sw-").endsWith(" ONE PHASE");
        assertNoXaLeft();
    }

    /** Turns the general log (to the table {@code mysql.general_log}) on, emptied first, or off, on every group. */
    private static void generalLog(boolean on) throws SQLException {
        for (String group : List.of("g0", "g1")) {
            try (Connection c = cluster.group(group).primary().connect(); Statement s = c.createStatement()) {
                if (on) {
                    s.execute("SET GLOBAL log_output = 'TABLE'");
                    s.execute("TRUNCATE mysql.general_log");
                }
                s.execute("SET GLOBAL general_log = " + (on ? "ON" : "OFF"));
            }
        }
    }

    /**
     * The queries and executes the general log holds from the backend connection that received the statement
     * containing {@code probe}, from that statement on, in the order logged.
     */
    private static List<String> sentAfter(String group, String probe) throws SQLException {
        List<String> sent = new ArrayList<>();
        try (Connection c = cluster.group(group).primary().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT thread_id, command_type, CONVERT(argument USING utf8mb4)"
                     + " FROM mysql.general_log")) {
            Long thread = null;
            while (rs.next()) {
                String sql = rs.getString(3);
                if (thread == null && sql.contains(probe) && !sql.contains("general_log")) {
                    thread = rs.getLong(1);
                }
                if (thread != null && rs.getLong(1) == thread
                        && List.of("Query", "Execute").contains(rs.getString(2))) {
                    sent.add(sql);
                }
            }
        }
        return sent;
    }

    @Test
    void aSelectThatWritesThroughAStoredFunctionKeepsTheAtomicCommit() throws Exception {
        double committedBefore = xaTransactions("commit");
        int a = onG0.getFirst();
        int b = onG1.getFirst();
        String node = placement(b).split(":")[0];
        try (Connection g1 = cluster.group("g1").primary().connect(); Statement s = g1.createStatement()) {
            // The function writes a table of its own: MariaDB refuses one that writes the table its SELECT reads.
            s.execute("USE `" + node + "`");
            s.execute("CREATE TABLE IF NOT EXISTS bumps (customer INT NOT NULL)");
            s.execute("DROP FUNCTION IF EXISTS bump");
            s.execute("CREATE FUNCTION bump(customer INT) RETURNS INT DETERMINISTIC MODIFIES SQL DATA BEGIN"
                    + " INSERT INTO bumps (customer) VALUES (customer); RETURN 1; END");
        }
        try (Connection c = proxy.app(); Statement s = c.createStatement(); Connection other = proxy.app()) {
            s.execute("BEGIN");
            s.executeUpdate("UPDATE customers SET balance = balance - 1 WHERE id = " + a);
            assertThat(rows(c, "SELECT bump(id) FROM customers WHERE id = " + b)).containsExactly("1");
            s.execute("COMMIT");
            assertThat(balance(other, a)).isEqualTo(OPENING_BALANCE - 1);
            assertThat(xaTransactions("commit")).as("XA commits").isEqualTo(committedBefore + 1);
            try (Connection g1 = cluster.group("g1").primary().connect()) {
                assertThat(rows(g1, "SELECT customer FROM `" + node + "`.bumps")).containsExactly(String.valueOf(b));
            }
        } finally {
            try (Connection g1 = cluster.group("g1").primary().connect(); Statement s = g1.createStatement()) {
                s.execute("DROP FUNCTION IF EXISTS `" + node + "`.bump");
                s.execute("DROP TABLE IF EXISTS `" + node + "`.bumps");
            }
        }
        assertNoXaLeft();
    }

    /**
     * An autocommit UPDATE without the shard key and a multi-row INSERT over both groups commit on
     * both through the cross-group commit, with the affected rows and LAST_INSERT_ID of the statement.
     */
    @Test
    void autocommitWritesOverTwoGroupsCommitOnBothWithTheirCounts() throws Exception {
        double committedBefore = xaTransactions("commit");
        int a = onG0.getFirst();
        int b = onG1.getFirst();
        try (Connection c = proxy.app(); Statement s = c.createStatement(); Connection other = proxy.app()) {
            assertThat(s.executeUpdate("UPDATE customers SET balance = balance + 1 WHERE balance >= 0"))
                    .isEqualTo(ACCOUNTS);
            assertThat(balance(other, a)).isEqualTo(OPENING_BALANCE + 1);
            assertThat(balance(other, b)).isEqualTo(OPENING_BALANCE + 1);
            assertThat(xaTransactions("commit")).as("XA commits").isEqualTo(committedBefore + 1);

            s.execute("DROP TABLE IF EXISTS orders");
            s.execute("CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, customer_id INT NOT NULL)");
            assertThat(s.executeUpdate("INSERT INTO orders (customer_id) VALUES (" + a + "), (" + b + "), (" + a + ")",
                    Statement.RETURN_GENERATED_KEYS)).isEqualTo(3);
            long generated;
            try (ResultSet keys = s.getGeneratedKeys()) {
                assertThat(keys.next()).isTrue();
                generated = keys.getLong(1);
            }
            List<String> lastInsertId = rows(c, "SELECT LAST_INSERT_ID()");
            assertThat(lastInsertId).containsExactly(String.valueOf(generated));
            // Each group's auto-increment numbers its own rows: the id is one of the inserted rows'.
            assertThat(rows(other, "SELECT COUNT(*) FROM orders WHERE id = " + generated)).isNotEqualTo(List.of("0"));
            assertThat(rows(other, "SELECT customer_id FROM orders ORDER BY customer_id"))
                    .containsExactlyElementsOf(a < b ? List.of(a + "", a + "", b + "") : List.of(b + "", a + "", a + ""));
            assertThat(xaTransactions("commit")).as("XA commits").isEqualTo(committedBefore + 2);
            s.execute("DROP TABLE orders");
        }
        assertNoXaLeft();
    }

    /**
     * The proxy halts at one step of a cross-group COMMIT and is started again: before the first
     * (plain) branch commits both branches roll back, after it both commit. {@code BEFORE_ROLLBACK} is reached only by
     * a commit that fails ({@link #aPreparedBranchWhoseRollbackFailsIsRolledBackOnceItsGroupIsBack}).
     */
    @ParameterizedTest
    @EnumSource(value = Failpoint.class, mode = EnumSource.Mode.EXCLUDE, names = "BEFORE_ROLLBACK")
    void aProxyHaltedInsideACommitEndsBothBranchesTheSameWay(Failpoint failpoint) throws Exception {
        int a = onG0.getFirst();
        int b = onG1.getFirst();
        haltInsideACommit(failpoint, a, b);
        proxy.start(null);
        boolean committed = failpoint == Failpoint.AFTER_FIRST_COMMIT;
        // Settled at start, or by a background retry when a group was too slow to answer then.
        assertNoXaLeft();
        try (Connection c = proxy.app()) {
            assertThat(balance(c, a)).isEqualTo(committed ? 900 : OPENING_BALANCE);
            assertThat(balance(c, b)).isEqualTo(committed ? 1100 : OPENING_BALANCE);
        }
        assertThat(proxy.log()).contains("XA recovery: branch").contains(committed ? "committed" : "rolled back");
    }

    /** Starts the proxy to halt at {@code failpoint} in a COMMIT moving 100 from {@code a} (on g0) to {@code b} (on g1). */
    private void haltInsideACommit(Failpoint failpoint, int a, int b) throws Exception {
        proxy.close();
        proxy.start(failpoint);
        try (Connection c = proxy.app(); Statement s = c.createStatement()) {
            s.execute("BEGIN");
            s.executeUpdate("UPDATE customers SET balance = balance - 100 WHERE id = " + a);
            s.executeUpdate("UPDATE customers SET balance = balance + 100 WHERE id = " + b);
            assertThatThrownBy(() -> s.execute("COMMIT")).isInstanceOf(SQLException.class);
        }
        assertThat(proxy.awaitExit()).isEqualTo(Failpoint.HALT_STATUS);
        assertThat(preparedBranches("g1")).as("the XA branch stays prepared while the proxy is down").hasSize(1);
    }

    /**
     * A shard group that is down while the proxy starts after a crash inside a commit holds that commit's prepared
     * branch (and its row lock) only until it is back: recovery retries it in the background, without a restart, and
     * ends the branch by its marker, then deletes the marker. With the XA branch's group down the branch commits
     * once that group answers; with the marker's group down the branch stays prepared while the marker cannot be
     * read (never rolled back for want of an answer), then commits or rolls back as the marker says.
     */
    @ParameterizedTest
    @CsvSource({"AFTER_FIRST_COMMIT, g1", "AFTER_FIRST_COMMIT, g0", "AFTER_DECISION, g0"})
    void aGroupDownAtStartIsSettledOnceItIsBackWithoutARestart(Failpoint failpoint, String down) throws Exception {
        int a = onG0.getFirst();
        int b = onG1.getFirst();
        haltInsideACommit(failpoint, a, b);
        EmbeddedServer server = cluster.group(down).primary();
        server.stop();
        try {
            proxy.start(null);
            // With the marker's group down, the branch's group cannot be settled either. The other group may be
            // pending too, for a moment, when a loaded machine kept it from answering within failFastMs.
            assertThat(proxy.metrics().value("shardwire_xa_recovery_pending_groups")).as("groups recovery retries")
                    .isGreaterThanOrEqualTo(down.equals("g0") ? 2 : 1);
            if (down.equals("g0")) {
                // Time for retries to run while the marker cannot be read: none may end the branch.
                Thread.sleep(5_000);
                assertThat(preparedBranches("g1")).as("the branch waits for its marker's group").hasSize(1);
            }
        } finally {
            server.start();
        }
        boolean committed = failpoint == Failpoint.AFTER_FIRST_COMMIT;
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(preparedBranches("g1")).as("prepared XA branches on g1").isEmpty());
        try (Connection c = proxy.app()) {
            assertThat(balance(c, a)).isEqualTo(committed ? 900 : OPENING_BALANCE);
            assertThat(balance(c, b)).isEqualTo(committed ? 1100 : OPENING_BALANCE);
        }
        assertNoXaLeft();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(proxy.metrics().value("shardwire_xa_recovery_pending_groups")).as("groups recovery retries")
                    .isZero();
            assertThat(proxy.metrics().value("shardwire_xa_recovery_pending_decisions")).as("decisions recovery holds")
                    .isZero();
        });
        String log = proxy.log();
        String thisStart = log.substring(log.lastIndexOf("=== start"));
        assertThat(thisStart).contains("XA recovery: shard group " + down + " (")
                .contains("retrying in the background")
                .contains("XA recovery: shard group " + down + " settled on retry")
                .contains("XA recovery finished on retry")
                .contains("XA recovery: branch").contains(committed ? "committed" : "rolled back");
        assertThat(thisStart).as("one WARN for the group").containsOnlyOnce("XA recovery: shard group " + down + " (");
    }

    /**
     * A shard group lost inside a commit while the proxy runs holds that commit's prepared XA branch (and its row
     * lock) only until it is back: the proxy hands the transaction to its background retries, which end the branch
     * once the group answers, without a restart, then delete the marker. {@code AFTER_FIRST_COMMIT, g1}: the first
     * branch committed and the XA branch's group is gone at {@code XA COMMIT}; the client has its OK (the decision is
     * commit) and the branch commits. {@code AFTER_DECISION, g0}: the first branch's group is gone at its COMMIT, so
     * the outcome cannot be learned; the client is told so, the XA branch stays prepared (its row locked) while the
     * marker cannot be read, then follows the marker (absent: the first branch died uncommitted) and rolls back.
     */
    @ParameterizedTest
    @CsvSource({"AFTER_FIRST_COMMIT, g1", "AFTER_DECISION, g0"})
    void aGroupLostInsideACommitIsSettledOnceItIsBackWithoutARestart(Failpoint failpoint, String down) throws Exception {
        Path resume = proxy.dataDir.resolve("resume-" + failpoint);
        Files.deleteIfExists(resume);
        proxy.close();
        proxy.start(failpoint, List.of("-D" + Failpoint.PAUSE_UNTIL_PROPERTY + "=" + resume));
        try {
            loseAGroupInsideACommit(failpoint, cluster.group(down).primary(), resume);
        } finally {
            // The next test's proxy commits without pausing.
            proxy.close();
            proxy.start(null);
        }
    }

    private void loseAGroupInsideACommit(Failpoint failpoint, EmbeddedServer server, Path resume) throws Exception {
        int a = onG0.getFirst();
        int b = onG1.getFirst();
        boolean committed = failpoint == Failpoint.AFTER_FIRST_COMMIT;
        try (Connection c = proxy.app(); Statement s = c.createStatement()) {
            CompletableFuture<Void> commit = transferPausedInItsCommit(s, a, b, failpoint, resume);
            server.stop();
            try {
                Files.createFile(resume);
                if (committed) {
                    commit.get(120, TimeUnit.SECONDS);
                } else {
                    assertThatThrownBy(() -> commit.get(120, TimeUnit.SECONDS)).hasCauseInstanceOf(SQLException.class)
                            .satisfies(e -> assertThat(e.getCause()).hasMessageContaining("cannot be learned"));
                }
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(proxy.metrics().value("shardwire_xa_recovery_pending_transactions"))
                                .as("transactions handed over").isEqualTo(1));
                if (committed) {
                    try (Connection other = proxy.app()) {
                        assertThat(balance(other, a)).as("the first branch committed").isEqualTo(900);
                    }
                } else {
                    // Time for retries to run while the marker cannot be read: none may end the branch.
                    Thread.sleep(5_000);
                    assertThat(preparedBranches("g1")).as("the branch waits for its marker's group").hasSize(1);
                    // On g1 itself: clients of the proxy connect to shop, whose database is on g0.
                    try (Connection g1 = cluster.group("g1").primary().connect(); Statement o = g1.createStatement()) {
                        String table = physicalTable(g1, b);
                        o.execute("SET innodb_lock_wait_timeout = 1");
                        assertThatThrownBy(() -> o.executeUpdate("UPDATE " + table + " SET balance = 0 WHERE id = " + b))
                                .as("the prepared branch holds the row lock of %d", b)
                                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1205));
                    }
                }
            } finally {
                server.start();
            }
        }
        awaitBranchEndedOnG1(b, Duration.ofSeconds(90));
        // Sessions in turn, on the pools' connections, read both rows: none is left attached to the ended branch.
        for (int i = 0; i < 10; i++) {
            try (Connection c = proxy.app()) {
                assertThat(balance(c, a)).isEqualTo(committed ? 900 : OPENING_BALANCE);
                assertThat(balance(c, b)).isEqualTo(committed ? 1100 : OPENING_BALANCE);
            }
        }
        assertNoXaLeft();
        awaitNothingHandedOver();
        String log = proxy.log();
        String thisStart = log.substring(log.lastIndexOf("=== start"));
        assertThat(thisStart).as("the same proxy process, not restarted").startsWith("=== start " + failpoint)
                .containsOnlyOnce("handed to the background retries")
                .contains("settled in the background").contains(committed ? "committed" : "rolled back");
    }

    /**
     * A commit that fails before its decision rolls back; a prepared XA branch whose {@code XA ROLLBACK} then fails,
     * its group lost, is rolled back by the background retries once the group is back, without a restart, instead of
     * keeping its row lock until the proxy's next start. The commit marker's insert on g0 fails (a trigger refuses
     * it) while g1's branch prepares; the commit pauses before rolling back while g1 stops.
     */
    @Test
    void aPreparedBranchWhoseRollbackFailsIsRolledBackOnceItsGroupIsBack() throws Exception {
        Path resume = proxy.dataDir.resolve("resume-" + Failpoint.BEFORE_ROLLBACK);
        Files.deleteIfExists(resume);
        proxy.close();
        proxy.start(Failpoint.BEFORE_ROLLBACK, List.of("-D" + Failpoint.PAUSE_UNTIL_PROPERTY + "=" + resume));
        try (Connection g0 = cluster.group("g0").primary().connect(); Statement s = g0.createStatement()) {
            // Made by recovery at start, or by its background retry when g0 was too slow to answer then.
            await().atMost(Duration.ofSeconds(60)).until(() -> !rows(g0, "SELECT 1 FROM information_schema.tables"
                    + " WHERE table_schema = 'shardwire_xa' AND table_name = 'commit_markers'").isEmpty());
            s.execute("CREATE TRIGGER shardwire_xa.refuse_markers BEFORE INSERT ON shardwire_xa.commit_markers"
                    + " FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'commit marker refused by the test'");
        }
        try {
            loseAPreparedBranchBeforeItsRollback(resume);
        } finally {
            try (Connection g0 = cluster.group("g0").primary().connect(); Statement s = g0.createStatement()) {
                s.execute("DROP TRIGGER IF EXISTS shardwire_xa.refuse_markers");
            }
            // The next test's proxy commits without pausing.
            proxy.close();
            proxy.start(null);
        }
    }

    /**
     * Moves 100 from {@code a} (on g0) to {@code b} (on g1) in a transaction and commits it on another thread; returns
     * once the commit is paused at the failpoint, which waits for {@code resume} to exist.
     */
    private CompletableFuture<Void> transferPausedInItsCommit(Statement s, int a, int b, Failpoint failpoint,
                                                              Path resume) throws SQLException {
        s.execute("BEGIN");
        s.executeUpdate("UPDATE customers SET balance = balance - 100 WHERE id = " + a);
        s.executeUpdate("UPDATE customers SET balance = balance + 100 WHERE id = " + b);
        CompletableFuture<Void> commit = CompletableFuture.runAsync(() -> {
            try {
                s.execute("COMMIT");
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> proxy.log().contains("failpoint " + failpoint
                + " reached: paused until " + resume + " exists"));
        return commit;
    }

    private void loseAPreparedBranchBeforeItsRollback(Path resume) throws Exception {
        int a = onG0.getFirst();
        int b = onG1.getFirst();
        EmbeddedServer server = cluster.group("g1").primary();
        try (Connection c = proxy.app(); Statement s = c.createStatement()) {
            CompletableFuture<Void> commit = transferPausedInItsCommit(s, a, b, Failpoint.BEFORE_ROLLBACK, resume);
            assertThat(preparedBranches("g1")).as("g1's branch prepared while g0 refused the marker").hasSize(1);
            server.stop();
            try {
                Files.createFile(resume);
                assertThatThrownBy(() -> commit.get(120, TimeUnit.SECONDS)).hasCauseInstanceOf(SQLException.class)
                        .satisfies(e -> {
                            SQLException error = (SQLException) e.getCause();
                            assertThat(error.getSQLState()).isEqualTo("XA100");
                            assertThat(error.getErrorCode()).isEqualTo(1402);
                            assertThat(error.getMessage()).contains("commit marker refused by the test")
                                    .contains("was rolled back")
                                    .contains("shard group(s) g1 could not be rolled back now");
                        });
                assertThat(proxy.metrics().value("shardwire_xa_recovery_pending_transactions"))
                        .as("transactions handed over").isEqualTo(1);
            } finally {
                server.start();
            }
        }
        // The retries come 1, 2, 4, 8 and 16 s apart after the hand-over, and the health monitor sees g1 back
        // within a heartbeat (2 s): the branch must not wait for the proxy's next start.
        awaitBranchEndedOnG1(b, Duration.ofSeconds(20));
        try (Connection c = proxy.app()) {
            assertThat(balance(c, a)).isEqualTo(OPENING_BALANCE);
            assertThat(balance(c, b)).isEqualTo(OPENING_BALANCE);
        }
        assertNoXaLeft();
        awaitNothingHandedOver();
        String log = proxy.log();
        String thisStart = log.substring(log.lastIndexOf("=== start"));
        assertThat(thisStart).as("the same proxy process, not restarted")
                .startsWith("=== start " + Failpoint.BEFORE_ROLLBACK)
                .containsOnlyOnce("handed to the background retries")
                .contains("its commit failed while preparing")
                .contains("settled in the background: its branch(es) on shard group(s) [g1] rolled back");
    }

    /**
     * Waits until g1 has no prepared XA branch left, then shows row {@code b} free of locks there (on g1 itself:
     * clients of the proxy connect to shop, whose database is on g0).
     */
    private void awaitBranchEndedOnG1(int b, Duration within) throws SQLException {
        await().atMost(within).untilAsserted(() ->
                assertThat(preparedBranches("g1")).as("prepared XA branches on g1").isEmpty());
        try (Connection g1 = cluster.group("g1").primary().connect(); Statement o = g1.createStatement()) {
            o.execute("SET innodb_lock_wait_timeout = 1");
            o.executeUpdate("UPDATE " + physicalTable(g1, b) + " SET balance = balance WHERE id = " + b);
        }
    }

    /** Waits until no transaction is left to the background retries. */
    private void awaitNothingHandedOver() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(proxy.metrics().value("shardwire_xa_recovery_pending_transactions"))
                        .as("transactions handed over").isZero());
    }

    /**
     * Concurrent transfers between accounts on different groups while the proxy is killed with
     * SIGKILL at random moments and restarted: no money appears or vanishes, no branch stays prepared.
     * {@code -Dshardwire.bank.transfers} / {@code .kills} size it (CI: 1,000 and 3; profile {@code bank}: 10,000 and 10).
     */
    @Test
    void bankTransfersKeepTheTotalThroughProxyKills() throws Exception {
        int transfers = Integer.getInteger("shardwire.bank.transfers", 1_000);
        int kills = Integer.getInteger("shardwire.bank.kills", 3);
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            clients.add(Thread.ofPlatform().name("transfer-" + t).start(() -> transfer(transfers, done, failed)));
        }
        for (int k = 1; k <= kills; k++) {
            int threshold = transfers * k / (kills + 1);
            await().atMost(Duration.ofMinutes(5)).until(() -> done.get() >= threshold);
            Thread.sleep(ThreadLocalRandom.current().nextInt(200));
            proxy.kill();
            proxy.start(null);
        }
        for (Thread client : clients) {
            client.join(Duration.ofMinutes(10));
            assertThat(client.isAlive()).as("transfer client finished").isFalse();
        }
        try (Connection c = proxy.app()) {
            assertThat(total(c)).as("sum of balances after %d transfers (%d failed), %d kills", done.get(), failed.get(), kills)
                    .isEqualTo(ACCOUNTS * OPENING_BALANCE);
        }
        assertNoXaLeft();
    }

    private static void transfer(int transfers, AtomicInteger done, AtomicInteger failed) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Connection c = null;
        while (done.get() < transfers) {
            int from = onG0.get(random.nextInt(onG0.size()));
            int to = onG1.get(random.nextInt(onG1.size()));
            if (random.nextBoolean()) {
                int swap = from;
                from = to;
                to = swap;
            }
            int amount = 1 + random.nextInt(50);
            try {
                if (c == null) {
                    c = proxy.app();
                }
                try (Statement s = c.createStatement()) {
                    s.execute("BEGIN");
                    // A global lock order (by id) keeps transfers free of deadlocks across groups.
                    for (int id : from < to ? new int[] {from, to} : new int[] {to, from}) {
                        s.executeUpdate("UPDATE customers SET balance = balance " + (id == from ? "- " : "+ ") + amount
                                + " WHERE id = " + id);
                    }
                    s.execute("COMMIT");
                }
                done.incrementAndGet();
            } catch (SQLException e) {
                failed.incrementAndGet();
                try {
                    if (c != null) {
                        c.close();
                    }
                } catch (SQLException ignored) {
                    // The proxy is gone; a new connection follows.
                }
                c = null;
                sleep(100);
            }
        }
        try {
            if (c != null) {
                c.close();
            }
        } catch (SQLException ignored) {
            // Closing at the end only.
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An id no customer has yet, placed on the group. */
    private static int newIdOn(String group) throws SQLException {
        for (int id = ACCOUNTS + 1; ; id++) {
            if (placement(id).endsWith(":" + group)) {
                return id;
            }
        }
    }

    /** The data node and shard group of a customer id, as {@code node:group}. */
    private static String placement(int id) throws SQLException {
        try (Connection c = proxy.app(); Statement s = c.createStatement();
             ResultSet plan = s.executeQuery("EXPLAIN SHARDWIRE SELECT * FROM customers WHERE id = " + id)) {
            plan.next();
            return plan.getString(4) + ":" + plan.getString(5);
        }
    }

    /** The proxy's count of transactions over both groups (XA) with this outcome: commit or rollback. */
    private static double xaTransactions(String outcome) throws Exception {
        return proxy.metrics().value("shardwire_xa_transactions_total", "outcome", outcome);
    }

    /**
     * No XA branch of this proxy prepared on any group, and no commit marker left once the sweep has run (and
     * start-up recovery, which retries in the background a group it could not settle before clients came).
     */
    private static void assertNoXaLeft() throws Exception {
        for (String group : List.of("g0", "g1")) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(preparedBranches(group)).as("prepared XA branches on %s", group).isEmpty());
            try (Connection c = cluster.group(group).primary().connect()) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!rows(c, "SELECT COUNT(*) FROM shardwire_xa.commit_markers").equals(List.of("0"))
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(rows(c, "SELECT COUNT(*) FROM shardwire_xa.commit_markers")).as("markers on %s", group)
                        .containsExactly("0");
            }
        }
    }

    /** The physical customers table on the connection's server holding the row of {@code id}, as {@code db.table}. */
    private static String physicalTable(Connection c, int id) throws SQLException {
        for (String table : rows(c, "SELECT CONCAT('`', table_schema, '`.`', table_name, '`') FROM information_schema.tables"
                + " WHERE table_name LIKE 'customers%'")) {
            if (!rows(c, "SELECT id FROM " + table + " WHERE id = " + id).isEmpty()) {
                return table;
            }
        }
        throw new AssertionError("no customers table holds " + id);
    }

    private static List<String> preparedBranches(String group) throws SQLException {
        try (Connection c = cluster.group(group).primary().connect()) {
            return rows(c, "XA RECOVER");
        }
    }

    private static long balance(Connection c, int id) throws SQLException {
        return Long.parseLong(rows(c, "SELECT balance FROM customers WHERE id = " + id).getFirst());
    }

    private static long total(Connection c) throws SQLException {
        return Long.parseLong(rows(c, "SELECT SUM(balance) FROM customers").getFirst());
    }

    /** Each row's columns joined with ':'. */
    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    values.add(rs.getString(i));
                }
                rows.add(String.join(":", values));
            }
        }
        return rows;
    }
}
