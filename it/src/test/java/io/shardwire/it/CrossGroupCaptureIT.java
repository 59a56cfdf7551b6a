package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shardwire.embedded.ClusterSpec;
import io.shardwire.embedded.EmbeddedCluster;
import io.shardwire.mq.client.Payload;
import io.shardwire.mq.client.QueueClient;
import io.shardwire.proxy.xa.Failpoint;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Change capture of transactions over two shard groups (proxy in a child JVM, capture on): every
 * branch of a committed transaction, the plain one and the XA one, is in {@code shardwire.changes}
 * exactly once per changed row, also when the capture restarts (with the proxy, by SIGKILL) between
 * the branch's PREPARE and its COMMIT; a branch rolled back after PREPARE never is; commit markers
 * never are (docs/transactions.md, "Change capture").
 */
class CrossGroupCaptureIT {

    private static EmbeddedCluster cluster;
    private static ProxyProcess proxy;
    private static int onG0;
    private static int onG1;
    /** Rows of g1 other than {@link #onG1}, for writes made directly on its primary. */
    private static final List<Integer> moreOnG1 = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path dir = Path.of("target", "it-data", "xa-cdc").toAbsolutePath();
        cluster = EmbeddedCluster.start(ClusterSpec.of(dir.resolve("mariadb"), 2, 0));
        // The schema's default database, so that clients may connect to it; its data nodes come below.
        try (Connection c = cluster.group("g0").primary().connect()) {
            c.createStatement().execute("CREATE DATABASE IF NOT EXISTS shop");
        }
        // Data dirs are kept between runs: a fresh queue and decision log, and no branch left prepared
        // by a run stopped midway.
        ProxyFixture.deleteRecursively(dir.resolve("proxy"));
        for (String group : List.of("g0", "g1")) {
            try (Connection c = cluster.group(group).primary().connect(); Statement s = c.createStatement()) {
                List<String> left = new ArrayList<>();
                try (ResultSet branches = s.executeQuery("XA RECOVER FORMAT='SQL'")) {
                    while (branches.next()) {
                        left.add(branches.getString("data"));
                    }
                }
                for (String xid : left) {
                    s.execute("XA ROLLBACK " + xid);
                }
                // The fresh queue's snapshot must not read an earlier run's rows.
                List<String> databases = new ArrayList<>();
                try (ResultSet rows = s.executeQuery("SELECT schema_name FROM information_schema.schemata"
                        + " WHERE schema_name LIKE 'shop\\_%'")) {
                    while (rows.next()) {
                        databases.add(rows.getString(1));
                    }
                }
                for (String database : databases) {
                    s.execute("DROP DATABASE " + database);
                }
            }
        }
        proxy = new ProxyProcess(dir.resolve("proxy"), cluster, true);
        proxy.start(null);
        try (Connection c = proxy.app(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS shop");
            s.execute("DROP TABLE IF EXISTS customers");
            s.execute("CREATE TABLE customers (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
            for (int id = 1; id <= 16; id++) {
                s.execute("INSERT INTO customers (id, balance) VALUES (" + id + ", 0)");
                try (ResultSet plan = s.executeQuery("EXPLAIN SHARDWIRE SELECT * FROM customers WHERE id = " + id)) {
                    plan.next();
                    if (plan.getString(5).equals("g0")) {
                        onG0 = id;
                    } else {
                        if (onG1 > 0) {
                            moreOnG1.add(onG1);
                        }
                        onG1 = id;
                    }
                }
            }
        }
        assertThat(onG0).isPositive();
        assertThat(onG1).isPositive();
        assertThat(moreOnG1).hasSizeGreaterThanOrEqualTo(3);
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

    @Test
    void everyBranchOfACommittedTransactionIsCapturedOnceAndRolledBackBranchesNever() throws Exception {
        transfer(5001, 5002, null);
        // Rolled back after PREPARE: the proxy halts before logging the decision, recovery rolls back.
        proxy.close();
        proxy.start(Failpoint.BEFORE_DECISION);
        transfer(6001, 6002, Failpoint.BEFORE_DECISION);
        assertThat(proxy.awaitExit()).isEqualTo(Failpoint.HALT_STATUS);
        // Committed across a restart: the proxy (and its capture) halts between the first branch's
        // commit and the XA COMMIT; recovery at the next start commits the prepared branch.
        proxy.start(Failpoint.AFTER_FIRST_COMMIT);
        transfer(6501, 6502, Failpoint.AFTER_FIRST_COMMIT);
        assertThat(proxy.awaitExit()).isEqualTo(Failpoint.HALT_STATUS);
        proxy.start(null);
        transfer(7001, 7002, null);

        QueueClient queue = new QueueClient(URI.create("http://127.0.0.1:" + proxy.httpPort));
        // Rolled back after PREPARE, directly on the shard primary.
        xaPrepare("direct-rb", moreOnG1.get(0), 9001);
        endOnG1("XA ROLLBACK 'direct-rb'");
        // Prepared; the capture stores a later transaction, is killed, and the branch commits meanwhile.
        xaPrepare("direct-c", moreOnG1.get(1), 9002);
        try (Connection direct = cluster.group("g1").primary().connect(); Statement s = direct.createStatement()) {
            s.executeUpdate("UPDATE " + physicalTableOnG1(moreOnG1.get(2)) + " SET balance = 9003 WHERE id = "
                    + moreOnG1.get(2));
        }
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(count(changesOf(queue), 9003)).isOne());
        assertThat(count(changesOf(queue), 9002)).as("a prepared branch is not captured before its commit").isZero();
        proxy.kill();
        endOnG1("XA COMMIT 'direct-c'");
        proxy.start(null);
        // Plain transactions on both groups last, so that everything before them has been read.
        try (Connection c = proxy.app(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE customers SET balance = 8001 WHERE id = " + onG0);
            s.executeUpdate("UPDATE customers SET balance = 8002 WHERE id = " + onG1);
        }

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            List<String> changes = changesOf(queue);
            assertThat(count(changes, 8001)).isOne();
            assertThat(count(changes, 8002)).isOne();
        });
        List<String> changes = changesOf(queue);
        assertThat(List.of(count(changes, 5001), count(changes, 6501), count(changes, 7001)))
                .as("plain branches of committed transactions").containsExactly(1L, 1L, 1L);
        assertThat(List.of(count(changes, 5002), count(changes, 6502), count(changes, 7002), count(changes, 9002)))
                .as("XA branches of committed transactions, also across a capture restart between prepare and"
                        + " commit").containsExactly(1L, 1L, 1L, 1L);
        assertThat(count(changes, 9003)).as("a plain write read again after the restart").isOne();
        assertThat(List.of(count(changes, 6001), count(changes, 6002), count(changes, 9001)))
                .as("branches rolled back (after PREPARE for the XA ones)").containsExactly(0L, 0L, 0L);
        assertThat(changes).noneMatch(change -> change.contains("commit_markers"));
        assertThat(indexOf(changes, 9003)).as("commit order: the branch after the write committed before its"
                + " XA COMMIT").isLessThan(indexOf(changes, 9002));
        assertThat(proxy.log()).doesNotContain("dropping those");
    }

    @Test
    void anXaCommitOnAQuietGroupIsStoredWithoutWaitingForTheNextWrite() throws Exception {
        QueueClient queue = new QueueClient(URI.create("http://127.0.0.1:" + proxy.httpPort));
        xaPrepare("quiet", moreOnG1.get(0), 9101);
        endOnG1("XA COMMIT 'quiet'");
        long committed = System.nanoTime();
        // Nothing is written on g1 after the commit: only the capture's heartbeats can settle it.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(count(changesOf(queue), 9101)).isOne());
        System.out.printf("CrossGroupCaptureIT: XA COMMIT on a quiet group stored %d ms after the commit%n",
                (System.nanoTime() - committed) / 1_000_000);
    }

    /**
     * XA START, customer {@code id} to {@code balance}, XA END, XA PREPARE, on g1's primary; the
     * connection closes, which leaves the branch prepared.
     */
    private static void xaPrepare(String xid, int id, long balance) throws SQLException {
        String table = physicalTableOnG1(id);
        try (Connection direct = cluster.group("g1").primary().connect(); Statement s = direct.createStatement()) {
            s.execute("XA START '" + xid + "'");
            s.executeUpdate("UPDATE " + table + " SET balance = " + balance + " WHERE id = " + id);
            s.execute("XA END '" + xid + "'");
            s.execute("XA PREPARE '" + xid + "'");
        }
    }

    /**
     * Ends a branch {@link #xaPrepare} left, directly on g1's primary. The server detaches a prepared branch from its
     * connection only once it has processed that connection's close, which may come after the client's close
     * returned: until then another connection's XA COMMIT or XA ROLLBACK gets XAER_NOTA (1397).
     */
    private static void endOnG1(String sql) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            try (Connection direct = cluster.group("g1").primary().connect(); Statement s = direct.createStatement()) {
                s.execute(sql);
                return true;
            } catch (SQLException e) {
                if (e.getErrorCode() != 1397) {
                    throw e;
                }
                return false;
            }
        });
    }

    /** The physical {@code db.table} on g1's primary that holds customer {@code id}. */
    private static String physicalTableOnG1(int id) throws SQLException {
        try (Connection direct = cluster.group("g1").primary().connect(); Statement s = direct.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = s.executeQuery("SELECT table_schema, table_name FROM information_schema.tables"
                    + " WHERE table_name LIKE 'customers%' AND table_schema LIKE 'shop%'")) {
                while (rows.next()) {
                    tables.add(rows.getString(1) + "." + rows.getString(2));
                }
            }
            for (String table : tables) {
                try (ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM " + table + " WHERE id = " + id)) {
                    rows.next();
                    if (rows.getInt(1) == 1) {
                        return table;
                    }
                }
            }
        }
        throw new AssertionError("no physical customers table on g1 holds customer " + id);
    }

    private static int indexOf(List<String> changes, long balance) {
        java.util.regex.Pattern after = java.util.regex.Pattern.compile("\"after\":\\{[^}]*\"balance\":" + balance + "\\}");
        for (int i = 0; i < changes.size(); i++) {
            if (changes.get(i).contains("\"table\":\"customers\"") && after.matcher(changes.get(i)).find()) {
                return i;
            }
        }
        return -1;
    }

    /** BEGIN; the g0 row to {@code first}, the g1 row to {@code second}; COMMIT (which fails at a failpoint). */
    private static void transfer(long first, long second, Failpoint failpoint) throws SQLException {
        try (Connection c = proxy.app(); Statement s = c.createStatement()) {
            s.execute("BEGIN");
            s.executeUpdate("UPDATE customers SET balance = " + first + " WHERE id = " + onG0);
            s.executeUpdate("UPDATE customers SET balance = " + second + " WHERE id = " + onG1);
            if (failpoint == null) {
                s.execute("COMMIT");
            } else {
                assertThatThrownBy(() -> s.execute("COMMIT")).isInstanceOf(SQLException.class);
            }
        }
    }

    private static long count(List<String> changes, long balance) {
        java.util.regex.Pattern after = java.util.regex.Pattern.compile("\"after\":\\{[^}]*\"balance\":" + balance + "\\}");
        return changes.stream().filter(change -> change.contains("\"table\":\"customers\"")
                && after.matcher(change).find()).count();
    }

    /** Every change event in the queue, as JSON text. */
    private static List<String> changesOf(QueueClient queue) throws Exception {
        List<String> changes = new ArrayList<>();
        for (var partition : queue.topics().stream().filter(t -> t.name().equals("shardwire.changes"))
                .flatMap(t -> t.partitions().stream()).toList()) {
            long offset = partition.earliestOffset();
            while (offset < partition.latestOffset()) {
                var batch = queue.fetch("shardwire.changes", partition.partition(), offset);
                batch.records().forEach(record -> changes.add(record.value() instanceof Payload.Json json ? json.json()
                        : String.valueOf(record.value())));
                offset = batch.nextOffset();
            }
        }
        return changes;
    }
}
