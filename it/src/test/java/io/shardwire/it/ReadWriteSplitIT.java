package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardwire.config.ConfigLoader;
import io.shardwire.config.ServerConfig;
import io.shardwire.embedded.ClusterSpec;
import io.shardwire.embedded.EmbeddedCluster;
import io.shardwire.embedded.EmbeddedServer;
import io.shardwire.proxy.ShardwireServer;
import io.shardwire.proxy.demo.DemoConfig;
import io.shardwire.proxy.health.HealthState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Read/write split on one shard group with a primary and two replicas (real {@code mariadbd}, GTID replication),
 * proven by each server's own {@code Com_select} counter: autocommit reads spread over the replicas; locking reads,
 * reads in transactions, with autocommit off or of user variables run on the primary; a replica whose SQL thread
 * stops leaves the rotation (lag gating) and comes back; read-your-writes holds against a replica held back, 200
 * iterations ({@code -Prwsplit}: 1,000), while {@code eventual} reads do see that replica's stale rows; a replica
 * killed with SIGKILL under a read load fails no client read and takes reads again once restarted; a replica
 * connection lost after the column definitions but before the first row ({@link CutBeforeRowsRelay}) is read again
 * from the primary.
 *
 * <p>Two proxies front the same servers: {@code gated} drops replicas lagging over 1 s, {@code ungated}
 * ({@code maxReplicaLagMs: -1}) keeps a held-back replica in rotation, so only the GTID wait protects the session.
 * The health monitor's own SELECTs also count in {@code Com_select}, hence the margins in the bounds.
 */
class ReadWriteSplitIT {

    private static final int ITERATIONS = Integer.getInteger("shardwire.ryw.iterations", 200);
    /** Com_select a server may see from heartbeats and connection setup during one measured burst. */
    private static final long NOISE = 40;

    private static EmbeddedCluster cluster;
    private static ShardwireServer gated;
    private static ShardwireServer ungated;
    private static EmbeddedServer primary;
    private static List<EmbeddedServer> replicas;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Path.of("target", "it-data", "rwsplit").toAbsolutePath();
        cluster = EmbeddedCluster.start(ClusterSpec.of(dir.resolve("mariadb"), 1, 2));
        primary = cluster.group("g0").primary();
        replicas = cluster.group("g0").replicas();
        ProxyFixture.dropSchemaDatabases(cluster);
        try (Connection c = primary.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE shop");
            s.execute("CREATE TABLE shop.rw (id INT PRIMARY KEY, v VARCHAR(20))");
            s.execute("INSERT INTO shop.rw VALUES (0, 'seed')");
        }
        gated = proxy(dir.resolve("gated"), "maxReplicaLagMs: 1000");
        ungated = proxy(dir.resolve("ungated"), "maxReplicaLagMs: -1, gtidWaitTimeoutMs: 50");
        for (EmbeddedServer replica : replicas) {
            awaitApplied(replica);
        }
        awaitInRotation(gated, 0, 1);
        awaitInRotation(ungated, 0, 1);
    }

    private static ShardwireServer proxy(Path dir, String reads) {
        return proxy(dir, reads, UnaryOperator.identity());
    }

    /** A proxy whose configuration {@code edit} changes last (e.g. a server's address). */
    private static ShardwireServer proxy(Path dir, String reads, UnaryOperator<String> edit) {
        String yaml = DemoConfig.yaml("127.0.0.1", ProxyFixture.freePort(), ProxyFixture.freePort(), dir.toString(),
                ServerConfig.AuthPlugin.MYSQL_NATIVE_PASSWORD, cluster.groups(), cluster.spec().user(),
                cluster.spec().password(), false)
                .replace("    replicas:\n", "    reads: {fromReplicas: true, balancer: roundRobin, " + reads + "}\n"
                        + "    replicas:\n")
                + "monitoring: {heartbeatIntervalMs: 500, heartbeatTimeoutMs: 500}\n";
        return ShardwireServer.start(ConfigLoader.parse(ProxyFixture.withNativeBackendSwitch(edit.apply(yaml)),
                dir.getFileName() + ".yaml"));
    }

    @AfterEach
    void replicate() throws SQLException {
        for (EmbeddedServer replica : replicas) {
            run(replica, "START SLAVE SQL_THREAD");
        }
    }

    @AfterAll
    static void stop() {
        if (gated != null) {
            gated.close();
        }
        if (ungated != null) {
            ungated.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void autocommitReadsSpreadOverReplicasWhileLockingAndTransactionalReadsHitThePrimary() throws Exception {
        try (Connection app = connect(gated); Statement s = app.createStatement()) {
            long[] before = comSelect();
            for (int i = 0; i < 200; i++) {
                select(s, "SELECT v FROM rw WHERE id = 0");
            }
            long[] spread = delta(before);
            assertThat(spread[1]).as("replica 1 of %s", List.of(spread)).isBetween(100L, 100 + NOISE);
            assertThat(spread[2]).as("replica 2").isBetween(100L, 100 + NOISE);
            assertThat(spread[0]).as("primary").isLessThan(NOISE);

            before = comSelect();
            for (int i = 0; i < 100; i++) {
                select(s, "SELECT v FROM rw WHERE id = 0 FOR UPDATE");
                select(s, "SELECT v FROM rw WHERE id = 0 LOCK IN SHARE MODE");
            }
            assertPrimaryOnly(delta(before), 200);

            before = comSelect();
            s.execute("BEGIN");
            for (int i = 0; i < 100; i++) {
                select(s, "SELECT v FROM rw WHERE id = 0");
            }
            s.execute("COMMIT");
            app.setAutoCommit(false);
            for (int i = 0; i < 100; i++) {
                select(s, "SELECT v FROM rw WHERE id = 0");
            }
            app.commit();
            app.setAutoCommit(true);
            assertPrimaryOnly(delta(before), 200);

            before = comSelect();
            s.execute("SET @n = 0");
            for (int i = 0; i < 100; i++) {
                select(s, "SELECT v, @n FROM rw WHERE id = 0");
            }
            assertPrimaryOnly(delta(before), 100);
        }
    }

    @Test
    void temporaryTablesAndSessionVariablesReadTheSameAsOnOneServer() throws Exception {
        try (Connection app = connect(gated); Statement s = app.createStatement()) {
            s.execute("SET SESSION sql_select_limit = 1");
            s.execute("CREATE TEMPORARY TABLE scratch (id INT)");
            s.execute("INSERT INTO scratch VALUES (1), (2)");
            for (int i = 0; i < 10; i++) {
                try (ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM scratch")) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getInt(1)).isEqualTo(2);
                }
                // Replayed on the replica connection: the limit holds there too.
                try (ResultSet rows = s.executeQuery("SELECT @@sql_select_limit, v FROM rw")) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getLong(1)).isEqualTo(1);
                    assertThat(rows.next()).isFalse();
                }
            }
        }
    }

    @Test
    void aReplicaWhoseReplicationStopsLeavesTheRotationAndComesBack() throws Exception {
        run(replicas.get(0), "STOP SLAVE SQL_THREAD");
        awaitOutOfRotation(gated, 0);
        try (Connection app = connect(gated); Statement s = app.createStatement()) {
            long[] before = comSelect();
            for (int i = 0; i < 100; i++) {
                select(s, "SELECT v FROM rw WHERE id = 0");
            }
            long[] oneLeft = delta(before);
            assertThat(oneLeft[1]).as("stopped replica of %s", List.of(oneLeft)).isLessThan(NOISE);
            assertThat(oneLeft[2]).as("running replica").isGreaterThanOrEqualTo(100);

            run(replicas.get(1), "STOP SLAVE SQL_THREAD");
            awaitOutOfRotation(gated, 1);
            before = comSelect();
            for (int i = 0; i < 100; i++) {
                select(s, "SELECT v FROM rw WHERE id = 0");
            }
            assertPrimaryOnly(delta(before), 100);

            replicate();
            awaitInRotation(gated, 0, 1);
            before = comSelect();
            for (int i = 0; i < 100; i++) {
                select(s, "SELECT v FROM rw WHERE id = 0");
            }
            long[] back = delta(before);
            assertThat(back[1]).as("replica 1 back, of %s", List.of(back)).isGreaterThanOrEqualTo(50);
            assertThat(back[2]).as("replica 2 back").isGreaterThanOrEqualTo(50);
        }
    }

    @Test
    void aSessionReadsItsOwnWritesFromAHeldBackReplicaEveryTime() throws Exception {
        try (Connection app = connect(ungated); Statement s = app.createStatement()) {
            s.execute("DELETE FROM rw WHERE id > 0");
            awaitApplied(replicas.get(0));
            run(replicas.get(0), "STOP SLAVE SQL_THREAD");
            assertThat(scalar(s, "SELECT @@shardwire_consistency")).isEqualTo("session");
            long[] before = comSelect();
            for (int i = 1; i <= ITERATIONS; i++) {
                s.executeUpdate("INSERT INTO rw VALUES (" + i + ", 'w" + i + "')");
                assertThat(scalar(s, "SELECT v FROM rw WHERE id = " + i)).as("read of write %d", i).isEqualTo("w" + i);
            }
            long[] used = delta(before);
            System.out.printf("read-your-writes: %d iterations, Com_select primary/replica1(held back)/replica2 = %s%n",
                    ITERATIONS, List.of(used[0], used[1], used[2]));
            // The running replica answered some reads (after its GTID wait); the held-back one none.
            assertThat(used[2]).as("running replica").isGreaterThan(ITERATIONS / 4);

            // Eventual reads of the same session do reach the held-back replica, which lacks the rows.
            s.execute("SET shardwire_consistency = eventual");
            int stale = 0;
            for (int i = 0; i < 20; i++) {
                if (scalar(s, "SELECT v FROM rw WHERE id = " + ITERATIONS) == null) {
                    stale++;
                }
            }
            assertThat(stale).as("eventual reads answered by the held-back replica").isGreaterThan(0);

            s.execute("SET SESSION shardwire_consistency = 'strong'");
            before = comSelect();
            for (int i = 0; i < 50; i++) {
                assertThat(scalar(s, "SELECT v FROM rw WHERE id = " + ITERATIONS)).isEqualTo("w" + ITERATIONS);
            }
            assertPrimaryOnly(delta(before), 50);
            try (ResultSet rows = s.executeQuery("SHOW VARIABLES LIKE 'shardwire_consistency'")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(2)).isEqualTo("strong");
            }
            assertThatThrownBy(() -> s.execute("SET shardwire_consistency = sometimes"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("shardwire_consistency")
                    .hasMessageContaining("sometimes")
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1231));
        }
    }

    @Test
    void aReplicaKilledUnderReadLoadCostsNoClientQueryAndReturnsWhenUp() throws Exception {
        awaitInRotation(gated, 0, 1);
        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
        AtomicInteger reads = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        ExecutorService readers = Executors.newFixedThreadPool(3);
        try {
            for (int t = 0; t < 3; t++) {
                readers.submit(() -> {
                    try (Connection app = connect(gated); Statement s = app.createStatement()) {
                        while (reading.get()) {
                            try {
                                select(s, "SELECT v FROM rw WHERE id = 0");
                                reads.incrementAndGet();
                            } catch (SQLException | AssertionError e) {
                                failures.add((System.nanoTime() - killedAt.get()) / 1_000_000 + " ms after the kill: "
                                        + e.getMessage());
                            }
                        }
                    }
                    return null;
                });
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> reads.get() > 200);
            EmbeddedServer victim = replicas.get(0);
            long pid = Long.parseLong(Files.readString(victim.dataDir().resolve("mysqld.pid")).trim());
            killedAt.set(System.nanoTime());
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> gated.health().replicaHealth("g0", 0).state() == HealthState.DOWN);
            int readsAtDown = reads.get();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> reads.get() > readsAtDown + 500);
            reading.set(false);
            readers.shutdown();
            assertThat(readers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            System.out.printf("replica kill -9 under read load: %d reads, %d failed %s%n", reads.get(), failures.size(),
                    failures);
            // A read whose replica connection dies before any row is sent is read again from the primary.
            assertThat(failures).isEmpty();

            victim.start();
            run(victim, "START SLAVE");
            awaitInRotation(gated, 0, 1);
            try (Connection app = connect(gated); Statement s = app.createStatement()) {
                long[] before = comSelect();
                for (int i = 0; i < 100; i++) {
                    select(s, "SELECT v FROM rw WHERE id = 0");
                }
                assertThat(delta(before)[1]).as("the restarted replica back in rotation").isGreaterThanOrEqualTo(50);
            }
        } finally {
            reading.set(false);
            readers.shutdownNow();
        }
    }

    @Test
    void aReplicaConnectionLostBeforeTheFirstRowIsReadAgainFromThePrimary() throws Exception {
        EmbeddedServer replica = replicas.get(0);
        Path dir = Path.of("target", "it-data", "rwsplit", "relayed").toAbsolutePath();
        try (CutBeforeRowsRelay relay = CutBeforeRowsRelay.to(replica.host(), replica.port(), "cut_here")) {
            // The proxy's group has the relayed replica only: every replica read passes the relay.
            ShardwireServer relayed = proxy(dir, "maxReplicaLagMs: -1", yaml -> yaml
                    .replaceAll("(?m)^ +- \\{host: [^\n]*port: " + replicas.get(1).port() + ",.*\n", "")
                    .replace("port: " + replica.port() + ",", "port: " + relay.port() + ","));
            try (Connection app = connect(relayed); Statement s = app.createStatement()) {
                awaitInRotation(relayed, 0);
                assertThat(scalar(s, "SELECT v AS cut_here FROM rw WHERE id = 0")).isEqualTo("seed");
                relay.arm();
                // The replica connection is lost after the column definitions came, before the first row.
                assertThat(scalar(s, "SELECT v AS cut_here FROM rw WHERE id = 0")).isEqualTo("seed");
                assertThat(relay.cuts()).isEqualTo(1);
                assertThat(scalar(s, "SELECT v AS cut_here FROM rw WHERE id = 0")).isEqualTo("seed");
            } finally {
                relayed.close();
            }
        }
    }

    private static void assertPrimaryOnly(long[] delta, long reads) {
        assertThat(delta[0]).as("primary of %s", List.of(delta[0], delta[1], delta[2])).isGreaterThanOrEqualTo(reads);
        assertThat(delta[1]).as("replica 1").isLessThan(NOISE);
        assertThat(delta[2]).as("replica 2").isLessThan(NOISE);
    }

    private static Connection connect(ShardwireServer proxy) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "app");
        props.setProperty("password", "app");
        props.setProperty("sslMode", "DISABLED");
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + proxy.port() + "/shop", props);
    }

    private static void select(Statement s, String sql) throws SQLException {
        try (ResultSet rows = s.executeQuery(sql)) {
            assertThat(rows.next()).as(sql).isTrue();
        }
    }

    private static String scalar(Statement s, String sql) throws SQLException {
        try (ResultSet rows = s.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    /** Com_select of the primary, replica 1 and replica 2. */
    private static long[] comSelect() throws SQLException {
        return new long[] {comSelect(primary), comSelect(replicas.get(0)), comSelect(replicas.get(1))};
    }

    private static long comSelect(EmbeddedServer server) throws SQLException {
        try (Connection c = server.connect(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Com_select'")) {
            rows.next();
            return rows.getLong(2);
        }
    }

    private static long[] delta(long[] before) throws SQLException {
        long[] now = comSelect();
        return new long[] {now[0] - before[0], now[1] - before[1], now[2] - before[2]};
    }

    private static void run(EmbeddedServer server, String sql) throws SQLException {
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Waits until the replica has applied everything the primary has written. */
    private static void awaitApplied(EmbeddedServer replica) throws SQLException {
        String position;
        try (Connection c = primary.connect(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT @@gtid_binlog_pos")) {
            rows.next();
            position = rows.getString(1);
        }
        try (Connection c = replica.connect(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT MASTER_GTID_WAIT('" + position + "', 60)")) {
            rows.next();
            assertThat(rows.getInt(1)).as("replica %s applied %s", replica, position).isZero();
        }
    }

    private static void awaitInRotation(ShardwireServer proxy, int... replicaIndexes) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (int r : replicaIndexes) {
                var health = proxy.health().replicaHealth("g0", r);
                if (health.state() != HealthState.UP || health.lag().isEmpty() || !health.lag().get().replicating()
                        || health.lag().get().secondsBehind().isEmpty()
                        || health.lag().get().secondsBehind().getAsLong() > 0) {
                    return false;
                }
            }
            return true;
        });
    }

    private static void awaitOutOfRotation(ShardwireServer proxy, int replica) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            var health = proxy.health().replicaHealth("g0", replica);
            return health.lag().isPresent() && !health.lag().get().replicating();
        });
    }
}
