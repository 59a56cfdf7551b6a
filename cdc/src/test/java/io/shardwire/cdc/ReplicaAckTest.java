package io.shardwire.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.shardwire.cdc.event.ChangeEvent;
import io.shardwire.cdc.event.PhysicalToLogical;
import io.shardwire.cdc.source.ReplicationAccount;
import io.shardwire.embedded.ClusterSpec;
import io.shardwire.embedded.EmbeddedCluster;
import io.shardwire.embedded.EmbeddedServer;
import io.shardwire.mq.QueueSettings;
import io.shardwire.mq.QueueStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A capture stores a transaction only once a replica of its group holds it (real replication, stopped and started
 * with {@code STOP/START SLAVE IO_THREAD}), and stores it anyway, counted, when no replica does within the timeout;
 * a replica the capture's account cannot log in to yet (the account is created on the primary just before the
 * capture starts, and replicated) does not acknowledge until it can, and is asked again then.
 */
class ReplicaAckTest {

    /** Long enough that a loaded machine never makes the gate give up where the test expects it to wait. */
    private static final Duration PATIENT = Duration.ofMinutes(2);
    /** Longer than the capture needs to read and store a row when nothing holds it back. */
    private static final Duration HELD = Duration.ofSeconds(2);

    private static Path root;
    private static EmbeddedCluster cluster;
    private static EmbeddedServer primary;
    private static EmbeddedServer replica;

    private String table;
    private QueueStore queue;
    private ChangeCaptures captures;

    @BeforeAll
    static void startCluster() throws SQLException {
        root = SharedCluster.ROOT.resolve(SharedCluster.uniqueName("replica_ack"));
        cluster = EmbeddedCluster.start(ClusterSpec.of(root.resolve("cluster"), 1, 1));
        primary = cluster.group("g0").primary();
        replica = cluster.group("g0").replicas().get(0);
        try (Connection admin = primary.connect()) {
            // Replicated: the replica has the account the gate asks it with.
            ReplicationAccount.ensure(admin, SharedCluster.CDC_USER, SharedCluster.CDC_PASSWORD, "%");
        }
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void createTable() throws Exception {
        String database = SharedCluster.uniqueName("acked");
        table = database + ".rows_";
        try (Connection c = primary.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
        }
        queue = QueueStore.open(QueueSettings.defaults(root.resolve(database).resolve("queue")), Clock.systemUTC());
    }

    @AfterEach
    void stopCapture() throws Exception {
        if (captures != null) {
            captures.close();
        }
        queue.close();
        replication("START SLAVE");
    }

    @Test
    void aTransactionNoReplicaHasIsHeldBackUntilOneHasIt() throws Exception {
        start(PATIENT);
        insert(1);
        assertThat(ids(awaitChanges(1))).containsExactly(1);

        replication("STOP SLAVE IO_THREAD");
        insert(2);
        Thread.sleep(HELD.toMillis());
        assertThat(ids(changes())).as("not stored while no replica has it").containsExactly(1);

        replication("START SLAVE IO_THREAD");
        assertThat(ids(awaitChanges(2))).as("stored once the replica has it").containsExactly(1, 2);
        assertThat(captures.replicaAckTimeouts()).containsExactly(0L);
    }

    @Test
    void withoutAnAcknowledgementWithinTheTimeoutATransactionIsStoredAnywayAndCounted() throws Exception {
        start(HELD);
        insert(1);
        awaitChanges(1);
        assertThat(captures.replicaAckTimeouts()).containsExactly(0L);

        replication("STOP SLAVE IO_THREAD");
        insert(2);
        assertThat(ids(awaitChanges(2))).as("stored after the timeout").containsExactly(1, 2);
        assertThat(captures.replicaAckTimeouts()).as("one episode").containsExactly(1L);
        insert(3);
        assertThat(ids(awaitChanges(3))).containsExactly(1, 2, 3);
        assertThat(captures.replicaAckTimeouts()).as("the episode goes on: not counted again").containsExactly(1L);

        // Once the replica caught up the gate waits again, and a new episode is counted.
        replication("START SLAVE IO_THREAD");
        await().atMost(PATIENT).until(() -> count(replica) == 3);
        Thread.sleep(HELD.toMillis());
        replication("STOP SLAVE IO_THREAD");
        insert(4);
        Thread.sleep(HELD.toMillis() / 2);
        assertThat(ids(changes())).as("waiting for the replica again").containsExactly(1, 2, 3);
        assertThat(ids(awaitChanges(4))).containsExactly(1, 2, 3, 4);
        assertThat(captures.replicaAckTimeouts()).as("a second episode").containsExactly(2L);
    }

    /**
     * The CI failure of FailoverIT: the replicas had not applied the account yet (their SQL threads held back) when
     * the capture started, so its followers were refused login. A follower that cannot log in does not acknowledge,
     * and logs in again once the replica applied the account, which then acknowledges what it holds.
     */
    @Test
    void aReplicaTheAccountCannotLogInToYetAcknowledgesOnceItCan() throws Exception {
        String user = SharedCluster.uniqueName("late");
        replication("STOP SLAVE SQL_THREAD");
        try (Connection admin = primary.connect()) {
            ReplicationAccount.ensure(admin, user, SharedCluster.CDC_PASSWORD, "%");
        }
        assertThatThrownBy(() -> logIn(replica, user)).as("the replica has not applied the account")
                .isInstanceOf(SQLException.class).hasMessageContaining("Access denied");
        insert(1);
        Queue<ILoggingEvent> gateLog = new ConcurrentLinkedQueue<>();
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                gateLog.add(event);
            }
        };
        appender.start();
        Logger gateLogger = (Logger) LoggerFactory.getLogger("io.shardwire.cdc.debezium.ReplicaAckGate");
        gateLogger.addAppender(appender);
        try {
            startAs(user, PATIENT);
            // The first batch sets the follower asking; refused, it tries again every 0.5 s meanwhile.
            await().atMost(PATIENT).until(() -> gateLog.stream().anyMatch(event -> event.getLevel() == Level.WARN));
            Thread.sleep(HELD.toMillis());
        } finally {
            gateLogger.detachAppender(appender);
        }
        assertThat(ids(changes())).as("not stored while the replica refuses the login").isEmpty();
        // Told once, not at every retry, with the account to check.
        assertThat(gateLog).filteredOn(event -> event.getLevel() == Level.WARN).singleElement()
                .satisfies(event -> assertThat(event.getFormattedMessage())
                        .contains("replica 127.0.0.1:" + replica.port(), "refused the login of the capture account '"
                                + user + "'", "Access denied", "check that the account exists on the replica"));

        replication("START SLAVE SQL_THREAD");
        assertThat(ids(awaitChanges(1))).as("stored once the replica let the follower in and holds it")
                .containsExactly(1);
        assertThat(captures.replicaAckTimeouts()).containsExactly(0L);
    }

    @Test
    void aReplicaTheAccountNeverLogsInToIsWaitedForOnlyUntilTheTimeout() throws Exception {
        String user = SharedCluster.uniqueName("unreplicated");
        try (Connection admin = primary.connect(); Statement s = admin.createStatement()) {
            s.execute("SET SESSION sql_log_bin = 0"); // the replica never gets the account
            ReplicationAccount.ensure(admin, user, SharedCluster.CDC_PASSWORD, "%");
        }
        startAs(user, HELD);
        insert(1);
        assertThat(ids(awaitChanges(1))).as("stored after the timeout").containsExactly(1);
        assertThat(captures.replicaAckTimeouts()).as("one episode").containsExactly(1L);
    }

    private void start(Duration ackTimeout) throws Exception {
        startAs(SharedCluster.CDC_USER, ackTimeout);
        captures.awaitStreaming(CaptureFixture.STREAMING_TIMEOUT);
    }

    /** Starts the capture with this account; its snapshot's rows too wait at the gate. */
    private void startAs(String user, Duration ackTimeout) throws Exception {
        CaptureOptions options = CaptureOptions.defaults(user, SharedCluster.CDC_PASSWORD, 7300,
                        root.resolve(table).resolve("cdc"))
                .withDatabases(List.of(table.substring(0, table.indexOf('.')))).withReplicaAckTimeout(ackTimeout);
        GroupSource source = new GroupSource("g0", "127.0.0.1", primary.port(),
                List.of(new GroupSource.Replica("127.0.0.1", replica.port())));
        captures = ChangeCaptures.start(List.of(source), options, queue, PhysicalToLogical.IDENTITY,
                Clock.systemUTC());
    }

    private static void logIn(EmbeddedServer server, String user) throws SQLException {
        DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + server.port() + "/", user,
                SharedCluster.CDC_PASSWORD).close();
    }

    private void insert(int id) throws SQLException {
        try (Connection c = primary.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO " + table + " VALUES (" + id + ")");
        }
    }

    private List<ChangeEvent> awaitChanges(int count) throws Exception {
        return ChangeLog.events(ChangeLog.awaitAtLeast(queue, CaptureOptions.DEFAULT_TOPIC, 0, count,
                CaptureFixture.EVENT_TIMEOUT.plus(HELD)));
    }

    private List<ChangeEvent> changes() throws Exception {
        return ChangeLog.events(ChangeLog.read(queue, CaptureOptions.DEFAULT_TOPIC, 0));
    }

    private static List<Integer> ids(List<ChangeEvent> events) {
        return events.stream().map(event -> event.key().get("id").asInt()).toList();
    }

    private static void replication(String statement) throws SQLException {
        try (Connection c = replica.connectForTopology(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private int count(EmbeddedServer server) throws SQLException {
        try (Connection c = server.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
