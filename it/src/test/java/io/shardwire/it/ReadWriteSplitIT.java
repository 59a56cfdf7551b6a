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
import io.shardwire.proxy.health.DataSourceHealth;
import io.shardwire.proxy.health.HealthState;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
 * killed with SIGKILL under a read load fails no client read and takes reads again once restarted; one killed between
 * two heartbeats leaves the rotation at the first read that gets no connection to it, so the next reads do not wait
 * for it, and returns at the monitor's next successful check; a replica connection lost after the column definitions
 * but before the first row ({@link CutBeforeRowsRelay}) is read again from the primary. Prepared reads (Connector/J
 * with {@code useServerPrepStmts}) on one data node follow the same routing, proven by {@code @@server_id} in their
 * select list, and answer in the binary protocol exactly as the primary does; on a replica they run over the
 * proxy's own native connections, which keep their prepared statements, and a KILL QUERY reaches them there; after
 * the session's write, each replica is waited on once (counted by its {@code Master_gtid_wait_count}) before reads
 * there go natively again, until the next write.
 *
 * <p>Two proxies front the same servers: {@code gated} drops replicas lagging over 1 s, {@code ungated}
 * ({@code maxReplicaLagMs: -1}) keeps a held-back replica in rotation, so only the GTID wait protects the session.
 * The health monitor's own SELECTs also count in {@code Com_select}, hence the margins in the bounds.
 */
class ReadWriteSplitIT {

    private static final int ITERATIONS = Integer.getInteger("shardwire.ryw.iterations", 200);
    /** The pools' {@code connectionTimeoutMs} (the default): how long a read waited for a dead replica. */
    private static final long CONNECTION_TIMEOUT_MS = 5_000;
    /** Reads run between a replica's kill and the health monitor's next round. */
    private static final int FAILING_OVER_READS = 10;
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
        return proxy(dir, reads, edit, "{heartbeatIntervalMs: 500, heartbeatTimeoutMs: 500}");
    }

    private static ShardwireServer proxy(Path dir, String reads, UnaryOperator<String> edit, String monitoring) {
        String yaml = DemoConfig.yaml("127.0.0.1", ProxyFixture.freePort(), ProxyFixture.freePort(), dir.toString(),
                ServerConfig.AuthPlugin.MYSQL_NATIVE_PASSWORD, cluster.groups(), cluster.spec().user(),
                cluster.spec().password(), false)
                .replace("    replicas:\n", "    reads: {fromReplicas: true, balancer: roundRobin, " + reads + "}\n"
                        + "    replicas:\n")
                + "monitoring: " + monitoring + "\n";
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
            long[] spread = assertSpreadOverBothReplicas(s);
            assertThat(spread[0]).as("primary").isLessThan(NOISE);

            long[] before = comSelect();
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
    void autocommitReadsSpreadOverReplicasWithoutTheNativePathToo() throws Exception {
        // A text read chooses a replica for the native path only where there is one: a choice made for nothing would
        // take every other turn of the round robin, and the JDBC path's own choices would all land on one replica.
        ShardwireServer jdbcOnly = proxy(Path.of("target", "it-data", "rwsplit", "jdbc-only").toAbsolutePath(),
                "maxReplicaLagMs: 1000", yaml -> yaml.replace("\nserver:\n", "\nserver:\n  nativeBackend: false\n"));
        try (jdbcOnly) {
            awaitInRotation(jdbcOnly, 0, 1);
            try (Connection app = connect(jdbcOnly); Statement s = app.createStatement()) {
                assertSpreadOverBothReplicas(s);
            }
        }
    }

    /** 200 autocommit reads on {@code s}: half on each replica (round robin); returns Com_select's delta per server. */
    private static long[] assertSpreadOverBothReplicas(Statement s) throws SQLException {
        long[] before = comSelect();
        for (int i = 0; i < 200; i++) {
            select(s, "SELECT v FROM rw WHERE id = 0");
        }
        long[] spread = delta(before);
        assertThat(spread[1]).as("replica 1 of %s", Arrays.toString(spread)).isBetween(100L, 100 + NOISE);
        assertThat(spread[2]).as("replica 2").isBetween(100L, 100 + NOISE);
        return spread;
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
    void aKilledReplicaLeavesTheRotationAtTheFirstReadThatGetsNoConnectionToIt() throws Exception {
        ShardwireServer slow = slowHeartbeatProxy("slow-heartbeat");
        EmbeddedServer victim = replicas.get(0);
        try (Connection app = connect(slow); Statement s = app.createStatement()) {
            DataSourceHealth lastCheckBeforeTheKill = justAfterAHealthRound(slow, s);
            victim.kill();
            long answeredBefore = comSelect(primary) + comSelect(replicas.get(1));
            long elapsedMs = timedReads(s, "a killed and a live replica");
            assertSuspendedOnceWithoutAHealthCheck(slow, victim, lastCheckBeforeTheKill);
            // Without the suspension each read balanced to the killed replica waits out connectionTimeoutMs: 25 s
            // for the five here. The margin is for a loaded machine.
            assertThat(elapsedMs).as("%d reads, half of them balanced to the killed replica", FAILING_OVER_READS)
                    .isLessThan(CONNECTION_TIMEOUT_MS + 7_000);
            assertThat(comSelect(primary) + comSelect(replicas.get(1)) - answeredBefore)
                    .as("reads answered by the primary and the live replica").isGreaterThanOrEqualTo(FAILING_OVER_READS);

            victim.start();
            run(victim, "START SLAVE");
            awaitApplied(victim);
            // Answering again is not enough: the suspension holds until the monitor checks the replica.
            long[] before = comSelect();
            for (int i = 0; i < 100; i++) {
                select(s, "SELECT v FROM rw WHERE id = 0");
            }
            long[] suspended = delta(before);
            assertThat(slow.health().replicaHealth("g0", 0)).as("no health check since the kill")
                    .isSameAs(lastCheckBeforeTheKill);
            assertThat(suspended[1]).as("restarted replica, not checked yet, of %s", List.of(suspended))
                    .isLessThan(NOISE);

            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
                DataSourceHealth now = slow.health().replicaHealth("g0", 0);
                return now != lastCheckBeforeTheKill && now.lastCheckSucceeded();
            });
            before = comSelect();
            for (int i = 0; i < 100; i++) {
                select(s, "SELECT v FROM rw WHERE id = 0");
            }
            long[] back = delta(before);
            assertThat(back[1]).as("restarted replica after a successful check, of %s", List.of(back))
                    .isGreaterThanOrEqualTo(50);
        } finally {
            victim.start();
            slow.close();
        }
    }

    /**
     * The same for prepared reads, which go to a replica over the proxy's native connections: the first one that
     * cannot connect to the killed replica suspends it and is answered by the primary; the next ones go to the live
     * replica or the primary, natively.
     */
    @Test
    void aKilledReplicaLeavesTheRotationAtTheFirstPreparedReadThatCannotConnectToIt() throws Exception {
        ShardwireServer slow = slowHeartbeatProxy("slow-heartbeat-prepared");
        EmbeddedServer victim = replicas.get(0);
        try (Connection app = connectPrepared(slow); Statement s = app.createStatement();
             PreparedStatement read = app.prepareStatement("SELECT v, @@server_id FROM rw WHERE id = ?")) {
            DataSourceHealth lastCheckBeforeTheKill = justAfterAHealthRound(slow, s);
            // Its locking read used the session's primary connection: the next replica read asks that connection for
            // its last GTID, on the JDBC path; the reads after it need not.
            answeredBy(read, 1);
            victim.kill();
            long nativeBefore = nativeExecutions(slow);
            long start = System.nanoTime();
            Set<Long> answered = answeredBy(read, FAILING_OVER_READS);
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("%d prepared reads (round-robin over a killed and a live replica) in %d ms%n",
                    FAILING_OVER_READS, elapsedMs);
            assertSuspendedOnceWithoutAHealthCheck(slow, victim, lastCheckBeforeTheKill);
            assertThat(answered).isSubsetOf(serverId(primary), serverId(replicas.get(1)));
            assertThat(elapsedMs).isLessThan(CONNECTION_TIMEOUT_MS);
            assertThat(nativeExecutions(slow) - nativeBefore).as("reads the native path answered; fallbacks: %s",
                    Metrics.read(slow.httpPort()).samples("shardwire_native_fallbacks_total"))
                    .isEqualTo(FAILING_OVER_READS);
        } finally {
            victim.start();
            run(victim, "START SLAVE");
            awaitApplied(victim);
            slow.close();
        }
    }

    /**
     * A replica that answers but refuses the proxy's logins (here its account locked; as well too many connections or
     * a blocked host) leaves the rotation as a killed one does: its TCP port accepts, but a login of the read's own is
     * refused too.
     */
    @Test
    void aReplicaRefusingTheProxysLoginsLeavesTheRotationAtTheFirstReadThatGetsNoConnectionToIt() throws Exception {
        ShardwireServer slow = slowHeartbeatProxy("refusing");
        EmbeddedServer refusing = replicas.get(0);
        String account = "'" + cluster.spec().user() + "'@'127.0.0.1', '" + cluster.spec().user() + "'@'localhost'";
        try (Connection app = connect(slow); Statement s = app.createStatement()) {
            DataSourceHealth lastCheckBeforeTheLock = justAfterAHealthRound(slow, s);
            // Not binlogged: the replica must not gain transactions its primary lacks. Then the proxy's pooled
            // connections go, so that its pool has to log in again.
            try (Connection admin = refusing.connectForTopology(); Statement a = admin.createStatement()) {
                a.execute("SET sql_log_bin = 0");
                a.execute("ALTER USER " + account + " ACCOUNT LOCK");
                List<Long> proxyThreads = new ArrayList<>();
                try (ResultSet rows = a.executeQuery("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = '"
                        + cluster.spec().user() + "'")) {
                    while (rows.next()) {
                        proxyThreads.add(rows.getLong(1));
                    }
                }
                for (long thread : proxyThreads) {
                    a.execute("KILL CONNECTION " + thread);
                }
            }
            long elapsedMs = timedReads(s, "a replica refusing logins and a live one");
            assertSuspendedOnceWithoutAHealthCheck(slow, refusing, lastCheckBeforeTheLock);
            // Without the suspension each read balanced to the refusing replica waits out connectionTimeoutMs.
            assertThat(elapsedMs).as("%d reads, half of them balanced to the refusing replica", FAILING_OVER_READS)
                    .isLessThan(CONNECTION_TIMEOUT_MS + 7_000);
        } finally {
            try (Connection admin = refusing.connectForTopology(); Statement a = admin.createStatement()) {
                a.execute("SET sql_log_bin = 0");
                a.execute("ALTER USER " + account + " ACCOUNT UNLOCK");
            }
            slow.close();
        }
    }

    /** A proxy whose heartbeats are 30 s apart: between two rounds only the reads can find a replica gone. */
    private static ShardwireServer slowHeartbeatProxy(String dataDir) {
        return proxy(Path.of("target", "it-data", "rwsplit", dataDir).toAbsolutePath(), "maxReplicaLagMs: -1",
                UnaryOperator.identity(), "{heartbeatIntervalMs: 30000, heartbeatTimeoutMs: 1000}");
    }

    /**
     * Once replica 0 of {@code slow} (heartbeats 30 s apart) is in rotation and warm: the health check it has right
     * after a round, so the next one is 30 s away.
     */
    private static DataSourceHealth justAfterAHealthRound(ShardwireServer slow, Statement s) throws Exception {
        awaitInRotation(slow, 0, 1);
        for (int i = 0; i < 10; i++) {
            select(s, "SELECT v FROM rw WHERE id = 0");
        }
        // The session's primary connection is made now, not in the measured reads that fall back to it.
        select(s, "SELECT v FROM rw WHERE id = 0 FOR UPDATE");
        DataSourceHealth checked = slow.health().replicaHealth("g0", 0);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                .until(() -> slow.health().replicaHealth("g0", 0) != checked);
        return slow.health().replicaHealth("g0", 0);
    }

    /**
     * Replica 0 of {@code slow}, {@code replica}, left the rotation by a suspension of the reads' own, counted once,
     * with no health check of it since {@code lastCheck}.
     */
    private static void assertSuspendedOnceWithoutAHealthCheck(ShardwireServer slow, EmbeddedServer replica,
                                                               DataSourceHealth lastCheck) throws Exception {
        assertThat(slow.health().replicaHealth("g0", 0)).as("no health check since the failure").isSameAs(lastCheck);
        assertThat(Metrics.read(slow.httpPort()).value("shardwire_replica_suspensions_total", "replica",
                replica.host() + ":" + replica.port())).as("suspensions of %s", replica.port()).isEqualTo(1);
    }

    /** {@link #FAILING_OVER_READS} replica reads, round-robin over {@code replicas}: how long they took, in ms. */
    private static long timedReads(Statement s, String replicas) throws SQLException {
        long start = System.nanoTime();
        for (int i = 0; i < FAILING_OVER_READS; i++) {
            select(s, "SELECT v FROM rw WHERE id = 0");
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("%d reads (round-robin over %s) in %d ms%n", FAILING_OVER_READS, replicas, elapsedMs);
        return elapsedMs;
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
            try {
                try (Connection app = connect(relayed); Statement s = app.createStatement()) {
                    awaitInRotation(relayed, 0);
                    assertThat(scalar(s, "SELECT v AS cut_here FROM rw WHERE id = 0")).isEqualTo("seed");
                    relay.arm();
                    // The replica connection is lost after the column definitions came, before the first row.
                    assertThat(scalar(s, "SELECT v AS cut_here FROM rw WHERE id = 0")).isEqualTo("seed");
                    assertThat(relay.cuts()).isEqualTo(1);
                    assertThat(scalar(s, "SELECT v AS cut_here FROM rw WHERE id = 0")).isEqualTo("seed");
                }
                try (Connection app = connectPrepared(relayed); PreparedStatement read =
                        app.prepareStatement("SELECT v AS cut_here, @@server_id FROM rw WHERE id = ?")) {
                    Set<Long> onReplica = Set.of(serverId(replica));
                    assertThat(answeredBy(read, 1)).isEqualTo(onReplica);
                    relay.arm();
                    // The replica's answer to the execute is cut after its column definitions: the primary answers.
                    assertThat(answeredBy(read, 1)).isEqualTo(Set.of(serverId(primary)));
                    assertThat(relay.cuts()).isEqualTo(2);
                    assertThat(answeredBy(read, 1)).isEqualTo(onReplica);
                }
            } finally {
                relayed.close();
            }
        }
    }

    @Test
    void preparedReadsOnOneDataNodeGoToReplicasWhileLockingAndTransactionalOnesRunOnThePrimary() throws Exception {
        Set<Long> replicaIds = Set.of(serverId(replicas.get(0)), serverId(replicas.get(1)));
        Set<Long> primaryId = Set.of(serverId(primary));
        try (Connection app = connectPrepared(gated); Statement s = app.createStatement();
             PreparedStatement read = app.prepareStatement("SELECT v, @@server_id FROM rw WHERE id = ?");
             PreparedStatement locking = app.prepareStatement("SELECT v, @@server_id FROM rw WHERE id = ? FOR UPDATE")) {
            // Round robin: both replicas answer, the primary none.
            assertThat(answeredBy(read, 20)).isEqualTo(replicaIds);
            assertThat(answeredBy(locking, 5)).isEqualTo(primaryId);

            s.execute("BEGIN");
            assertThat(answeredBy(read, 5)).isEqualTo(primaryId);
            s.execute("COMMIT");
            app.setAutoCommit(false);
            assertThat(answeredBy(read, 5)).isEqualTo(primaryId);
            app.commit();
            app.setAutoCommit(true);

            s.execute("SET shardwire_consistency = strong");
            assertThat(answeredBy(read, 5)).isEqualTo(primaryId);
            s.execute("SET shardwire_consistency = session");
            assertThat(answeredBy(read, 20)).isEqualTo(replicaIds);
        }
    }

    @Test
    void preparedReplicaReadsRunOnTheProxysOwnConnectionsWhichKeepTheirStatementsAndCanBeKilled() throws Exception {
        int reads = 40;
        try (Connection app = connectPrepared(gated);
             PreparedStatement read = app.prepareStatement("SELECT v, @@server_id FROM rw WHERE id = ?")) {
            long[] preparesBefore = {status(replicas.get(0), "Com_stmt_prepare"),
                status(replicas.get(1), "Com_stmt_prepare")};
            long nativeBefore = nativeExecutions(gated);
            assertThat(answeredBy(read, reads)).isEqualTo(Set.of(serverId(replicas.get(0)), serverId(replicas.get(1))));
            assertThat(nativeExecutions(gated) - nativeBefore).as("reads the native path answered; fallbacks: %s",
                    Metrics.read(gated.httpPort()).samples("shardwire_native_fallbacks_total")).isEqualTo(reads);
            // Each native connection prepares the text once and keeps it: the JDBC path prepared it at every execute
            // (and reset the connection after), 20 prepares per replica here.
            for (int r = 0; r < 2; r++) {
                assertThat(status(replicas.get(r), "Com_stmt_prepare") - preparesBefore[r])
                        .as("prepares on replica %d", r).isBetween(1L, 2L);
            }
        }
        // A client that prepares each read afresh: the prepare, described on the session's primary connection, writes
        // nothing, so the read after it need not wait on a replica for the session's writes, and goes there natively.
        try (Connection app = connect(gated, "useServerPrepStmts", "true", "cachePrepStmts", "false")) {
            long nativeBefore = nativeExecutions(gated);
            for (int i = 0; i < 10; i++) {
                try (PreparedStatement read = app.prepareStatement("SELECT v, @@server_id FROM rw WHERE id = ?")) {
                    assertThat(answeredBy(read, 1)).isSubsetOf(serverId(replicas.get(0)), serverId(replicas.get(1)));
                }
            }
            assertThat(nativeExecutions(gated) - nativeBefore).as("reads prepared afresh the native path answered")
                    .isEqualTo(10);
        }

        // A KILL QUERY through the proxy reaches the replica the read runs on.
        try (Connection victim = connectPrepared(gated); Connection killer = connect(gated);
             Statement k = killer.createStatement();
             PreparedStatement sleep = victim.prepareStatement("SELECT v, SLEEP(?) FROM rw WHERE id = 0")) {
            String connectionId;
            try (Statement s = victim.createStatement()) {
                connectionId = scalar(s, "SELECT CONNECTION_ID()");
            }
            sleep.setInt(1, 60);
            long start = System.nanoTime();
            CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> {
                try (ResultSet rows = sleep.executeQuery()) {
                    return rows.next();
                } catch (SQLException e) {
                    return e;
                }
            });
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> sleepingOn(replicas.get(0)) + sleepingOn(replicas.get(1)) == 1);
            k.execute("KILL QUERY " + connectionId);
            Object outcome = running.get(30, TimeUnit.SECONDS);
            assertThat(outcome).isInstanceOf(SQLException.class);
            assertThat(((SQLException) outcome).getErrorCode()).isEqualTo(1317);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
            assertThat(sleepingOn(replicas.get(0)) + sleepingOn(replicas.get(1))).isZero();
        }
    }

    @Test
    void aPreparedReadSeesTheSessionsOwnWriteFromAHeldBackReplicaEveryTime() throws Exception {
        long heldBack = serverId(replicas.get(0));
        long running = serverId(replicas.get(1));
        try (Connection app = connectPrepared(ungated); Statement s = app.createStatement();
             PreparedStatement insert = app.prepareStatement("INSERT INTO rw VALUES (?, ?)");
             PreparedStatement read = app.prepareStatement("SELECT v, @@server_id FROM rw WHERE id = ?")) {
            s.execute("DELETE FROM rw WHERE id > 0");
            awaitApplied(replicas.get(0));
            run(replicas.get(0), "STOP SLAVE SQL_THREAD");
            Map<Long, Integer> answered = new HashMap<>();
            for (int i = 1; i <= ITERATIONS; i++) {
                insert.setInt(1, i);
                insert.setString(2, "w" + i);
                insert.executeUpdate();
                read.setInt(1, i);
                try (ResultSet rows = read.executeQuery()) {
                    assertThat(rows.next()).as("read of write %d", i).isTrue();
                    assertThat(rows.getString(1)).as("read of write %d", i).isEqualTo("w" + i);
                    answered.merge(rows.getLong(2), 1, Integer::sum);
                }
            }
            System.out.printf("prepared read-your-writes: %d iterations, answered by server id: %s%n", ITERATIONS,
                    answered);
            // The running replica answered some reads (after its GTID wait); the held-back one none.
            assertThat(answered).doesNotContainKey(heldBack);
            assertThat(answered.getOrDefault(running, 0)).as("running replica of %s", answered)
                    .isGreaterThan(ITERATIONS / 4);
        }
    }

    /**
     * Under {@code session} consistency a prepared read after the session's write waits on its replica for the write
     * (the JDBC path), once per replica: the next reads the balancer sends there go natively, without a wait, until
     * the session writes again. A read the primary answers (its wait timed out) waited and taught nothing.
     */
    @Test
    void preparedReadsAfterAWriteWaitOncePerReplicaThenGoNativelyUntilTheSessionWritesAgain() throws Exception {
        int reads = 12;
        long primaryId = serverId(primary);
        try (Connection app = connectPrepared(gated);
             PreparedStatement write = app.prepareStatement("REPLACE INTO rw VALUES (7, ?)");
             PreparedStatement read = app.prepareStatement("SELECT v, @@server_id FROM rw WHERE id = 7")) {
            for (String value : List.of("first", "second")) {
                write.setString(1, value);
                write.executeUpdate();
                Set<Long> waitedOn = new HashSet<>();
                int natively = 0;
                for (int i = 0; i < reads; i++) {
                    long waitsBefore = gtidWaits();
                    long nativeBefore = nativeExecutions(gated);
                    long answeredBy;
                    try (ResultSet rows = read.executeQuery()) {
                        assertThat(rows.next()).isTrue();
                        assertThat(rows.getString(1)).as("read %d after writing %s", i, value).isEqualTo(value);
                        answeredBy = rows.getLong(2);
                    }
                    boolean waited = !waitedOn.contains(answeredBy);
                    String what = "read " + i + " after writing " + value + ", on server " + answeredBy;
                    assertThat(nativeExecutions(gated) - nativeBefore).as("native: %s", what).isEqualTo(waited ? 0 : 1);
                    assertThat(gtidWaits() - waitsBefore).as("GTID waits: %s", what).isEqualTo(waited ? 1 : 0);
                    if (answeredBy != primaryId) {
                        waitedOn.add(answeredBy);
                    }
                    natively += waited ? 0 : 1;
                }
                assertThat(natively).as("reads after writing %s that went natively", value).isGreaterThan(reads / 2);
            }
        }
    }

    @Test
    void aPreparedReadOnAReplicaAnswersInTheBinaryProtocolAsThePrimaryDoes() throws Exception {
        try (Connection c = primary.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS shop.kinds (id INT PRIMARY KEY, ti TINYINT, mi MEDIUMINT,"
                    + " su SMALLINT UNSIGNED, bu BIGINT UNSIGNED, f FLOAT, d DOUBLE, dm DECIMAL(30,10), dn DECIMAL(5,2),"
                    + " dt DATETIME(6), ts TIMESTAMP(3) NULL, dd DATE, tm TIME(2), y YEAR, s VARCHAR(50), c CHAR(3),"
                    + " vb VARBINARY(16), bl BLOB, tx TEXT, bt BIT(10), e ENUM('a','b'), st SET('x','y'), js JSON,"
                    + " n INT NULL)");
            s.execute("REPLACE INTO shop.kinds VALUES (1, -5, -8388608, 65000, 18446744073709551615, 1.1, 2.5e-300,"
                    + " 12345678901234567890.0123456789, -0.50, '2024-02-29 23:59:59.123456', '2024-01-15 10:00:00.250',"
                    + " '1000-01-01', '-12:34:56.78', 2024, 'it''s a \\\\ test', 'ab', x'00FF275C', 'blob', 'text',"
                    + " b'1010101010', 'b', 'x,y', '{\"a\": [1, \"x\"]}', NULL)");
        }
        for (EmbeddedServer replica : replicas) {
            awaitApplied(replica);
        }
        String sql = "SELECT id, ti, mi, su, bu, f, d, dm, dn, dt, ts, dd, tm, y, s, c, vb, bl, tx, bt, e, st, js, n,"
                + " ? AS p_text, ? AS p_double, ? AS p_date, ? AS p_datetime, ? AS p_null, ? AS p_long,"
                + " ? AS p_decimal, @@server_id AS answered_by FROM kinds WHERE id = ? AND s = ? AND vb = ?";
        try (Connection app = connectPrepared(gated); Statement s = app.createStatement();
             PreparedStatement read = app.prepareStatement(sql)) {
            read.setString(1, "it's a \\ quote");
            read.setDouble(2, 0.1);
            read.setObject(3, LocalDate.of(2024, 2, 29));
            read.setObject(4, LocalDateTime.of(2024, 2, 29, 23, 59, 59, 123_456_000));
            read.setNull(5, Types.VARCHAR);
            read.setLong(6, Long.MIN_VALUE);
            read.setBigDecimal(7, new BigDecimal("-1234567890.0987654321"));
            read.setInt(8, 1);
            read.setString(9, "it's a \\ test");
            // Bytes only in the WHERE: as a select-list value their column type differs between the primary's native
            // path (bound as BLOB) and the JDBC paths (Connector/J binds them as a string), this read's or not.
            read.setBytes(10, new byte[] {0, (byte) 0xFF, '\'', '\\'});
            List<List<Object>> onReplica = rowOf(read);
            s.execute("SET shardwire_consistency = strong");
            List<List<Object>> onPrimary = rowOf(read);

            int answeredBy = onReplica.size() - 1;
            Set<Long> replicaIds = Set.of(serverId(replicas.get(0)), serverId(replicas.get(1)));
            assertThat(replicaIds).contains(((Number) onReplica.get(answeredBy).getLast()).longValue());
            assertThat(((Number) onPrimary.get(answeredBy).getLast()).longValue()).isEqualTo(serverId(primary));
            assertThat(onReplica.subList(0, answeredBy)).isEqualTo(onPrimary.subList(0, answeredBy));
            // The row was found by its quoted, backslashed string and its bytes, and the values came through.
            assertThat(onPrimary.get(14).getLast()).isEqualTo("it's a \\ test");
            assertThat(onPrimary.get(24).getLast()).isEqualTo("it's a \\ quote");
            assertThat(onPrimary.get(23).getLast()).isNull();
        }
    }

    /**
     * The one row of the prepared read, per column: its metadata (label, type, type name, precision, scale, signed),
     * then its value as a string and as bytes (as lists, to compare), then as the object Connector/J makes of it.
     */
    private static List<List<Object>> rowOf(PreparedStatement read) throws SQLException {
        List<List<Object>> columns = new ArrayList<>();
        try (ResultSet rows = read.executeQuery()) {
            assertThat(rows.next()).isTrue();
            ResultSetMetaData meta = rows.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                List<Object> column = new ArrayList<>(List.of(meta.getColumnLabel(i), meta.getColumnType(i),
                        meta.getColumnTypeName(i), meta.getPrecision(i), meta.getScale(i), meta.isSigned(i)));
                column.add(String.valueOf(rows.getString(i)));
                byte[] bytes = rows.getBytes(i);
                column.add(bytes == null ? "null" : toList(bytes));
                column.add(objectOf(rows, i));
                columns.add(column);
            }
            assertThat(rows.next()).isFalse();
        }
        return columns;
    }

    /** The value as Connector/J's object, or the message it refuses it with (a negative TIME is no java.sql.Time). */
    private static Object objectOf(ResultSet rows, int column) {
        try {
            Object value = rows.getObject(column);
            return value instanceof byte[] raw ? toList(raw) : value;
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    private static List<Byte> toList(byte[] bytes) {
        List<Byte> list = new ArrayList<>(bytes.length);
        for (byte b : bytes) {
            list.add(b);
        }
        return list;
    }

    /** Executes the prepared read of row 0 {@code times} times; the server ids that answered. */
    private static Set<Long> answeredBy(PreparedStatement read, int times) throws SQLException {
        Set<Long> ids = new HashSet<>();
        read.setInt(1, 0);
        for (int i = 0; i < times; i++) {
            try (ResultSet rows = read.executeQuery()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("seed");
                ids.add(rows.getLong(2));
            }
        }
        return ids;
    }

    /** A global status counter of the server. */
    private static long status(EmbeddedServer server, String name) throws SQLException {
        try (Connection c = server.connect(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SHOW GLOBAL STATUS LIKE '" + name + "'")) {
            rows.next();
            return rows.getLong(2);
        }
    }

    /** {@code MASTER_GTID_WAIT}s the replicas ran since they started. */
    private static long gtidWaits() throws SQLException {
        return status(replicas.get(0), "Master_gtid_wait_count") + status(replicas.get(1), "Master_gtid_wait_count");
    }

    /** Statements of the proxy's running a SLEEP on the server now. */
    private static int sleepingOn(EmbeddedServer server) throws SQLException {
        try (Connection c = server.connect(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                     + " WHERE INFO LIKE 'SELECT v, SLEEP(%'")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** Prepared reads the proxy's native path answered since it started. */
    private static long nativeExecutions(ShardwireServer proxy) throws Exception {
        return (long) Metrics.read(proxy.httpPort()).value("shardwire_native_executions_total");
    }

    private static long serverId(EmbeddedServer server) throws SQLException {
        try (Connection c = server.connect(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT @@server_id")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void assertPrimaryOnly(long[] delta, long reads) {
        assertThat(delta[0]).as("primary of %s", List.of(delta[0], delta[1], delta[2])).isGreaterThanOrEqualTo(reads);
        assertThat(delta[1]).as("replica 1").isLessThan(NOISE);
        assertThat(delta[2]).as("replica 2").isLessThan(NOISE);
    }

    /** A Connector/J connection as the application, with the further properties given as name, value, ... */
    private static Connection connect(ShardwireServer proxy, String... properties) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "app");
        props.setProperty("password", "app");
        props.setProperty("sslMode", "DISABLED");
        for (int i = 0; i < properties.length; i += 2) {
            props.setProperty(properties[i], properties[i + 1]);
        }
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + proxy.port() + "/shop", props);
    }

    /** A connection whose prepared statements are the server's (COM_STMT_PREPARE / COM_STMT_EXECUTE), as most drivers'. */
    private static Connection connectPrepared(ShardwireServer proxy) throws SQLException {
        return connect(proxy, "useServerPrepStmts", "true", "cachePrepStmts", "true");
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
        return status(server, "Com_select");
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
