package io.shardwire.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shardwire.cdc.event.ChangeEvent;
import io.shardwire.cdc.event.PhysicalToLogical;
import io.shardwire.cdc.source.CaptureRefusedException;
import io.shardwire.cdc.source.ReplicationAccount;
import io.shardwire.embedded.ClusterSpec;
import io.shardwire.embedded.EmbeddedCluster;
import io.shardwire.embedded.EmbeddedServer;
import io.shardwire.mq.QueueSettings;
import io.shardwire.mq.QueueStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A group's primary fails and its replica is promoted (by hand here; automatic failover will do the same): a capture
 * started against the new primary resumes from the queue's position by GTID, with no change lost or repeated.
 */
class FailoverTest {

    private static final int ROWS_ON_OLD_PRIMARY = 300;
    private static final int ROWS_ON_NEW_PRIMARY = 100;

    @Test
    void aCaptureStartedOnThePromotedReplicaGoesOnByGtidWithoutLossOrDuplicate() throws Exception {
        String database = SharedCluster.uniqueName("failover");
        Path dir = SharedCluster.ROOT.resolve(database);
        try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterSpec.of(dir.resolve("cluster"), 1, 1));
             QueueStore queue = QueueStore.open(QueueSettings.defaults(dir.resolve("queue")), Clock.systemUTC())) {
            EmbeddedServer primary = cluster.group("g0").primary();
            EmbeddedServer replica = cluster.group("g0").replicas().get(0);
            String table = createTable(primary, database);
            CaptureOptions options = options(dir, database);

            ChangeCaptures onOldPrimary = start(primary, options, queue);
            insert(primary, table, 1, ROWS_ON_OLD_PRIMARY);
            // Stopped while it may still be behind: the rest must come from the new primary.
            onOldPrimary.close();
            long capturedBefore = queue.latestOffset(options.topic(), 0);
            await().atMost(Duration.ofMinutes(1)).until(() -> count(replica, table) == ROWS_ON_OLD_PRIMARY);
            primary.stop();
            promote(replica);
            insert(replica, table, ROWS_ON_OLD_PRIMARY + 1, ROWS_ON_OLD_PRIMARY + ROWS_ON_NEW_PRIMARY);

            try (ChangeCaptures onNewPrimary = start(replica, options, queue)) {
                int total = ROWS_ON_OLD_PRIMARY + ROWS_ON_NEW_PRIMARY;
                ChangeLog.awaitAtLeast(queue, options.topic(), 0, total, CaptureFixture.EVENT_TIMEOUT);
                Thread.sleep(1000); // a duplicate would arrive now
                List<ChangeEvent> events = ChangeLog.events(ChangeLog.read(queue, options.topic(), 0));
                System.out.printf("FailoverTest: %d of %d changes captured from the old primary, the rest from the"
                        + " promoted replica%n", capturedBefore, ROWS_ON_OLD_PRIMARY);
                assertThat(events).hasSize(total);
                assertThat(events).extracting(ChangeEvent::id).doesNotHaveDuplicates();
                assertThat(events).extracting(event -> event.key().get("id").asInt()).as("every row once, in order")
                        .containsExactlyElementsOf(IntStream.rangeClosed(1, total).boxed().toList());
                assertThat(events.subList(0, ROWS_ON_OLD_PRIMARY)).allSatisfy(event ->
                        assertThat(event.source().gtid().orElseThrow()).as("GTID kept through replication")
                                .startsWith("0-" + primary.serverId() + "-"));
                assertThat(events.subList(ROWS_ON_OLD_PRIMARY, total)).allSatisfy(event ->
                        assertThat(event.source().gtid().orElseThrow()).startsWith("0-" + replica.serverId() + "-"));
            }
        } finally {
            deleteRecursively(dir.resolve("cluster"));
        }
    }

    /**
     * A capture moved to the promoted replica stores positions under the replica's own GTIDs ({@code 0-<replica>-n})
     * once it writes, while the schema history holds the tables' definitions under the old primary's
     * ({@code 0-<primary>-n}). A capture restarted there (a proxy restart) must still know the tables: the history's
     * entries before the stored position are the ones with lower sequences in the domain, whichever server wrote
     * them.
     */
    @Test
    void aCaptureRestartedOnThePromotedReplicaAfterItsOwnWritesKnowsTheTables() throws Exception {
        String database = SharedCluster.uniqueName("failover_restart");
        Path dir = SharedCluster.ROOT.resolve(database);
        try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterSpec.of(dir.resolve("cluster"), 1, 1));
             QueueStore queue = QueueStore.open(QueueSettings.defaults(dir.resolve("queue")), Clock.systemUTC())) {
            EmbeddedServer primary = cluster.group("g0").primary();
            EmbeddedServer replica = cluster.group("g0").replicas().get(0);
            String table = createTable(primary, database);
            CaptureOptions options = options(dir, database);

            try (ChangeCaptures captures = start(primary, options, queue)) {
                insert(primary, table, 1, 20);
                ChangeLog.awaitAtLeast(queue, options.topic(), 0, 20, CaptureFixture.EVENT_TIMEOUT);
                await().atMost(Duration.ofMinutes(1)).until(() -> count(replica, table) == 20);
                primary.stop();
                promote(replica);
                captures.moveTo(new GroupSource("g0", "127.0.0.1", replica.port()));
                captures.awaitStreaming(CaptureFixture.STREAMING_TIMEOUT);
                insert(replica, table, 21, 40);
                ChangeLog.awaitAtLeast(queue, options.topic(), 0, 40, CaptureFixture.EVENT_TIMEOUT);
            }
            try (ChangeCaptures restarted = start(replica, options, queue)) {
                insert(replica, table, 41, 60);
                await().atMost(CaptureFixture.EVENT_TIMEOUT).until(() -> restarted.health().getFirst().state()
                        == CaptureState.FAILED || ChangeLog.read(queue, options.topic(), 0).size() >= 60);
                Thread.sleep(1000); // a duplicate, or the failure on an unknown table, would arrive now
                assertThat(restarted.health().getFirst().failure()).as("failure of the restarted capture").isEmpty();
                assertThat(restarted.health().getFirst().state()).isEqualTo(CaptureState.STREAMING);
                List<ChangeEvent> events = ChangeLog.events(ChangeLog.read(queue, options.topic(), 0));
                assertThat(events).extracting(event -> event.key().get("id").asInt()).as("every row once, in order")
                        .containsExactlyElementsOf(IntStream.rangeClosed(1, 60).boxed().toList());
                assertThat(events.getLast().source().gtid().orElseThrow()).as("written by the promoted replica")
                        .startsWith("0-" + replica.serverId() + "-");
            }
        } finally {
            deleteRecursively(dir.resolve("cluster"));
        }
    }

    /**
     * The race a kill -9 can leave: the capture read a transaction from the old primary's binlog that no replica
     * received (a binlog reader gets a transaction as soon as it is in the binlog, before a semi-synchronous replica
     * acknowledges it). The queue's position then names that transaction, with its events to skip when resuming;
     * the promoted replica's next transaction after the previous GTID is its own first write, which a resume would
     * skip as if it were the stored one. The capture's move must be refused instead, naming the missing GTID. The
     * capture here is told of no replica, so nothing holds the transaction back (see the next test for the gate).
     */
    @Test
    void aCaptureRefusesAPromotedReplicaThatNeverGotATransactionTheQueueHolds() throws Exception {
        String database = SharedCluster.uniqueName("failover_lost");
        Path dir = SharedCluster.ROOT.resolve(database);
        try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterSpec.of(dir.resolve("cluster"), 1, 1));
             QueueStore queue = QueueStore.open(QueueSettings.defaults(dir.resolve("queue")), Clock.systemUTC())) {
            EmbeddedServer primary = cluster.group("g0").primary();
            EmbeddedServer replica = cluster.group("g0").replicas().get(0);
            String table = createTable(primary, database);
            CaptureOptions options = options(dir, database);

            try (ChangeCaptures captures = start(primary, options, queue)) {
                insert(primary, table, 1, 9);
                await().atMost(Duration.ofMinutes(1)).until(() -> count(replica, table) == 9);
                try (Connection c = replica.connectForTopology(); Statement s = c.createStatement()) {
                    s.execute("STOP SLAVE IO_THREAD");
                }
                insert(primary, table, 10, 10); // captured, never replicated
                ChangeLog.awaitAtLeast(queue, options.topic(), 0, 10, CaptureFixture.EVENT_TIMEOUT);
                String lostGtid = ChangeLog.events(ChangeLog.read(queue, options.topic(), 0)).get(9).source().gtid()
                        .orElseThrow();
                primary.kill();
                promote(replica);
                insert(replica, table, 11, 13);

                assertThatThrownBy(() -> captures.moveTo(new GroupSource("g0", "127.0.0.1", replica.port())))
                        .isInstanceOf(CaptureRefusedException.class)
                        .hasMessageContaining(lostGtid)
                        .hasMessageContaining("not in this server's binlogs");
                assertThat(captures.health().getFirst().state()).isEqualTo(CaptureState.FAILED);
                assertThat(captures.health().getFirst().failure()).hasValueSatisfying(failure ->
                        assertThat(failure).contains(lostGtid));
                Thread.sleep(1000); // a change stored after the refusal would arrive now
                assertThat(ChangeLog.events(ChangeLog.read(queue, options.topic(), 0)))
                        .extracting(event -> event.key().get("id").asInt()).as("nothing stored after the refusal")
                        .containsExactlyElementsOf(IntStream.rangeClosed(1, 10).boxed().toList());
            }
        } finally {
            deleteRecursively(dir.resolve("cluster"));
        }
    }

    /**
     * The same race with the capture told of the replica: the transaction no replica received is held back at the
     * gate, the primary is killed meanwhile, and the capture moved to the promoted replica goes on without refusal:
     * the queue never gets that transaction (nor does any database now) and gets every later change once.
     */
    @Test
    void aTransactionNoReplicaReceivedNeverReachesTheQueueAndTheMoveToThePromotedReplicaGoesOn() throws Exception {
        String database = SharedCluster.uniqueName("failover_gated");
        Path dir = SharedCluster.ROOT.resolve(database);
        try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterSpec.of(dir.resolve("cluster"), 1, 1));
             QueueStore queue = QueueStore.open(QueueSettings.defaults(dir.resolve("queue")), Clock.systemUTC())) {
            EmbeddedServer primary = cluster.group("g0").primary();
            EmbeddedServer replica = cluster.group("g0").replicas().get(0);
            String table = createTable(primary, database);
            // Patient: on a loaded machine the gate must not give up and store the transaction after all.
            CaptureOptions options = options(dir, database)
                    .withReplicaAckTimeout(Duration.ofMinutes(5));
            GroupSource withReplica = new GroupSource("g0", "127.0.0.1", primary.port(),
                    List.of(new GroupSource.Replica("127.0.0.1", replica.port())));

            try (ChangeCaptures captures = start(withReplica, options, queue)) {
                insert(primary, table, 1, 9);
                ChangeLog.awaitAtLeast(queue, options.topic(), 0, 9, CaptureFixture.EVENT_TIMEOUT);
                try (Connection c = replica.connectForTopology(); Statement s = c.createStatement()) {
                    s.execute("STOP SLAVE IO_THREAD");
                }
                insert(primary, table, 10, 10); // read by the capture, never replicated
                Thread.sleep(2000); // stored by now, were it not held back
                assertThat(ChangeLog.events(ChangeLog.read(queue, options.topic(), 0)))
                        .extracting(event -> event.key().get("id").asInt()).as("held back while no replica has it")
                        .containsExactlyElementsOf(IntStream.rangeClosed(1, 9).boxed().toList());
                primary.kill();
                promote(replica);
                insert(replica, table, 11, 13);

                captures.moveTo(new GroupSource("g0", "127.0.0.1", replica.port()));
                captures.awaitStreaming(CaptureFixture.STREAMING_TIMEOUT);
                ChangeLog.awaitAtLeast(queue, options.topic(), 0, 12, CaptureFixture.EVENT_TIMEOUT);
                Thread.sleep(1000); // a duplicate would arrive now
                List<ChangeEvent> events = ChangeLog.events(ChangeLog.read(queue, options.topic(), 0));
                assertThat(events).extracting(event -> event.key().get("id").asInt())
                        .as("every row the promoted replica has, once, and not the one it never received")
                        .containsExactlyElementsOf(IntStream.concat(IntStream.rangeClosed(1, 9),
                                IntStream.rangeClosed(11, 13)).boxed().toList());
                assertThat(events).extracting(ChangeEvent::id).doesNotHaveDuplicates();
                assertThat(count(replica, table)).isEqualTo(12);
                assertThat(captures.replicaAckTimeouts()).containsExactly(0L);
            }
        } finally {
            deleteRecursively(dir.resolve("cluster"));
        }
    }

    /** The capture account (made on the primary only: replicated, so a promoted replica has it too) and a table. */
    private static String createTable(EmbeddedServer primary, String database) throws SQLException {
        String table = database + ".rows_";
        try (Connection admin = primary.connect(); Statement s = admin.createStatement()) {
            ReplicationAccount.ensure(admin, SharedCluster.CDC_USER, SharedCluster.CDC_PASSWORD, "%");
            s.execute("CREATE DATABASE " + database);
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, payload VARCHAR(40))");
        }
        return table;
    }

    private static CaptureOptions options(Path dir, String database) {
        return CaptureOptions.defaults(SharedCluster.CDC_USER, SharedCluster.CDC_PASSWORD, 7200, dir.resolve("cdc"))
                .withDatabases(List.of(database));
    }

    private static ChangeCaptures start(EmbeddedServer server, CaptureOptions options, QueueStore queue)
            throws Exception {
        return start(new GroupSource("g0", "127.0.0.1", server.port()), options, queue);
    }

    private static ChangeCaptures start(GroupSource source, CaptureOptions options, QueueStore queue)
            throws Exception {
        ChangeCaptures captures = ChangeCaptures.start(List.of(source), options, queue, PhysicalToLogical.IDENTITY,
                Clock.systemUTC());
        captures.awaitStreaming(CaptureFixture.STREAMING_TIMEOUT);
        return captures;
    }

    /** What a failover does to the replica: stop replicating, forget the old primary, accept writes. */
    private static void promote(EmbeddedServer replica) throws SQLException {
        try (Connection c = replica.connectForTopology(); Statement s = c.createStatement()) {
            s.execute("STOP SLAVE");
            s.execute("RESET SLAVE ALL");
            s.execute("SET GLOBAL read_only = OFF");
        }
    }

    /** Inserts rows {@code first..last}, one autocommit transaction each but every tenth, which starts one of 3. */
    private static void insert(EmbeddedServer server, String table, int first, int last) throws SQLException {
        try (Connection c = server.connect();
             var insert = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)")) {
            int id = first;
            while (id <= last) {
                int rows = id % 10 == 0 ? Math.min(3, last - id + 1) : 1;
                c.setAutoCommit(rows == 1);
                for (int i = 0; i < rows; i++, id++) {
                    insert.setInt(1, id);
                    insert.setString(2, "row " + id);
                    insert.executeUpdate();
                }
                if (rows > 1) {
                    c.commit();
                }
            }
        }
    }

    private static int count(EmbeddedServer server, String table) throws SQLException {
        try (Connection c = server.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
