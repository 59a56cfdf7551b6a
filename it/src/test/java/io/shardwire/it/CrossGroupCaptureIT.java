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
 * Change capture of transactions over two shard groups (proxy in a child JVM, capture on): a
 * committed plain branch is in {@code shardwire.changes} exactly once per changed row, commit markers
 * never are, and what the capture does with XA branches (committed or rolled back after PREPARE) is
 * pinned down: today it drops them (a known defect, see docs/transactions.md).
 */
class CrossGroupCaptureIT {

    private static EmbeddedCluster cluster;
    private static ProxyProcess proxy;
    private static int onG0;
    private static int onG1;
    /** The cluster and queue under target/it-data live on into the next run: this run's balances are its own. */
    private static final long RUN = System.currentTimeMillis() / 1000 % 100_000_000 * 10_000;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Path.of("target", "it-data", "xa-cdc").toAbsolutePath();
        cluster = EmbeddedCluster.start(ClusterSpec.of(dir.resolve("mariadb"), 2, 0));
        // The schema's default database, so that clients may connect to it; its data nodes come below.
        try (Connection c = cluster.group("g0").primary().connect()) {
            c.createStatement().execute("CREATE DATABASE IF NOT EXISTS shop");
        }
        proxy = new ProxyProcess(dir.resolve("proxy"), cluster, true);
        proxy.start(null);
        try (Connection c = proxy.app(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS shop");
            s.execute("DROP TABLE IF EXISTS customers");
            s.execute("CREATE TABLE customers (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
            for (int id = 1; id <= 8; id++) {
                s.execute("INSERT INTO customers (id, balance) VALUES (" + id + ", 0)");
                try (ResultSet plan = s.executeQuery("EXPLAIN SHARDWIRE SELECT * FROM customers WHERE id = " + id)) {
                    plan.next();
                    if (plan.getString(5).equals("g0")) {
                        onG0 = id;
                    } else {
                        onG1 = id;
                    }
                }
            }
        }
        assertThat(onG0).isPositive();
        assertThat(onG1).isPositive();
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
    void plainBranchesAreCapturedOnceMarkersNeverAndXaBranchesAsTheCaptureReadsThem() throws Exception {
        transfer(RUN + 5001, RUN + 5002, null);
        // Rolled back after PREPARE: the proxy halts before logging the decision, recovery rolls back.
        proxy.close();
        proxy.start(Failpoint.BEFORE_DECISION);
        transfer(RUN + 6001, RUN + 6002, Failpoint.BEFORE_DECISION);
        assertThat(proxy.awaitExit()).isEqualTo(Failpoint.HALT_STATUS);
        proxy.start(null);
        transfer(RUN + 7001, RUN + 7002, null);
        // Plain transactions on both groups last, so that everything before them has been read.
        try (Connection c = proxy.app(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE customers SET balance = " + (RUN + 8001) + " WHERE id = " + onG0);
            s.executeUpdate("UPDATE customers SET balance = " + (RUN + 8002) + " WHERE id = " + onG1);
        }

        QueueClient queue = new QueueClient(URI.create("http://127.0.0.1:" + proxy.httpPort));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            List<String> changes = changesOf(queue);
            assertThat(count(changes, RUN + 8001)).isOne();
            assertThat(count(changes, RUN + 8002)).isOne();
        });
        List<String> changes = changesOf(queue);
        assertThat(count(changes, RUN + 5001)).as("plain branch of a committed transaction").isOne();
        assertThat(count(changes, RUN + 7001)).as("plain branch of a committed transaction").isOne();
        assertThat(count(changes, RUN + 6001)).as("a plain branch that never committed is not in the binlog").isZero();
        assertThat(changes).noneMatch(change -> change.contains("commit_markers"));
        // KNOWN DEFECT, pinned so that a fix shows here (docs/transactions.md, "Change capture"): MariaDB
        // binlogs an XA branch at PREPARE as a transaction with no end that Debezium 3.5 reports (it
        // ignores XA events); the capture's TransactionBatcher takes the next transaction's begin for a
        // replay and drops those rows, committed (5002, 7002) or rolled back (6002) alike.
        assertThat(List.of(count(changes, RUN + 5002), count(changes, RUN + 6002), count(changes, RUN + 7002)))
                .as("XA branch rows in the queue").containsExactly(0L, 0L, 0L);
        assertThat(proxy.log()).contains("began while").contains("still open with 1 events; dropping those");
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
