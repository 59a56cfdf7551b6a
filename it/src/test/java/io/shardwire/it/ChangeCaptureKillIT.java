package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shardwire.cdc.CaptureOptions;
import io.shardwire.cdc.event.ChangeEvent;
import io.shardwire.cdc.event.EventTransaction;
import io.shardwire.cdc.event.SchemaChangeEvent;
import io.shardwire.cdc.event.Operation;
import io.shardwire.config.ServerConfig;
import io.shardwire.embedded.ClusterSpec;
import io.shardwire.embedded.EmbeddedCluster;
import io.shardwire.mq.QueueSettings;
import io.shardwire.mq.QueueStore;
import io.shardwire.mq.client.QueueClient;
import io.shardwire.proxy.demo.DemoConfig;
import io.shardwire.proxy.demo.DemoSchema;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The proxy hosting the change capture runs in a child JVM ({@code shardwire start}) that is killed with SIGKILL at
 * a random point of every round while rows are written straight into both shard groups' primaries, and started
 * again at once. At the end the queue must hold each change exactly once (count and ids), in each group's commit
 * order, every transaction whole in one append.
 *
 * <p>{@value #ROWS_PROPERTY} rows per round (default 10,000) and {@value #ROUNDS_PROPERTY} rounds (default 3);
 * {@code -Pcdc-full} runs 100,000 x 10. The seed is printed and can be replayed with {@value #SEED_PROPERTY}.
 */
class ChangeCaptureKillIT {

    static final String ROWS_PROPERTY = "cdc.kill.rows";
    static final String ROUNDS_PROPERTY = "cdc.kill.rounds";
    static final String SEED_PROPERTY = "cdc.kill.seed";

    private static final Path DIR = Path.of("target", "it-data", "cdc-kill").toAbsolutePath();
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private int children;
    /** The logical tables DemoSchema creates, each one schema change event in the queue. */
    private static final int DEMO_TABLES = 3;

    @Test
    void killingTheProxyHostingTheCaptureMidWriteLosesNothingAndRepeatsNothing() throws Exception {
        int rows = Integer.getInteger(ROWS_PROPERTY, 10_000);
        int rounds = Integer.getInteger(ROUNDS_PROPERTY, 3);
        long seed = Long.getLong(SEED_PROPERTY, System.nanoTime());
        Random random = new Random(seed);
        System.out.printf("ChangeCaptureKillIT: %d rows x %d rounds, seed %d (-D%s=%d to replay)%n", rows, rounds,
                seed, SEED_PROPERTY, seed);
        try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterSpec.of(DIR.resolve("mariadb"), 2, 0))) {
            ProxyFixture.dropSchemaDatabases(cluster);
            ProxyFixture.deleteRecursively(DIR.resolve("proxy"));
            Child child = Child.start(cluster, ++children);
            awaitBinlogReaders(cluster);
            try (Connection admin = child.connect()) {
                DemoSchema.create(admin);
            }
            long started = System.nanoTime();
            for (int round = 0; round < rounds; round++) {
                long first = (long) round * rows + 1;
                GroupWriters writers = GroupWriters.start(cluster, first, first + rows - 1);
                long killAfter = rows / 10 + random.nextInt(Math.max(1, rows * 8 / 10));
                await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(5))
                        .until(() -> writers.written() >= killAfter || writers.isDone());
                long writtenAtKill = writers.written();
                assertThat(writtenAtKill).as("round %d killed while its rows are written", round + 1).isLessThan(rows);
                child.kill();
                child = Child.start(cluster, ++children);
                writers.awaitDone();
                System.out.printf("ChangeCaptureKillIT: round %d: SIGKILL after %d of %d rows, restarted, %.1f s in%n",
                        round + 1, writtenAtKill, rows, (System.nanoTime() - started) / 1e9);
            }
            long total = (long) rows * rounds;
            child.awaitEvents((total + 1) / 2 + DEMO_TABLES, total / 2);
            Thread.sleep(2000); // a duplicate would arrive now
            child.stop();
            System.out.printf("ChangeCaptureKillIT: %d changes in the queue after %d kills, %.1f s%n", total, rounds,
                    (System.nanoTime() - started) / 1e9);
            assertExactlyOnce(total);
        }
    }

    /** Reads the queue the children wrote and checks every change is there once, in order, transactions whole. */
    private static void assertExactlyOnce(long total) throws Exception {
        try (QueueStore queue = QueueStore.open(QueueSettings.defaults(DIR.resolve("proxy").resolve("queue")),
                Clock.systemUTC())) {
            List<SchemaChangeEvent> schemaChanges = ChangeTopic.schemaChanges(queue, 0);
            assertThat(schemaChanges).as("one CREATE TABLE per logical table, all from g0's first data node")
                    .extracting(change -> change.table() + " " + change.tableChange().get("type").asText())
                    .containsExactlyInAnyOrder("customers CREATE", "orders CREATE", "products CREATE");
            assertThat(ChangeTopic.schemaChanges(queue, 1)).isEmpty();
            List<ChangeTopic.Stored> stored = ChangeTopic.read(queue);
            assertThat(stored).hasSize(Math.toIntExact(total));
            assertThat(stored).extracting(each -> each.event().id()).doesNotHaveDuplicates();
            assertThat(stored).extracting(each -> each.event().op()).containsOnly(Operation.CREATE);
            assertThat(stored.stream().map(each -> each.event().key().get("id").asLong()).sorted().toList())
                    .as("every row once").isEqualTo(LongStream.rangeClosed(1, total).boxed().toList());
            for (int partition = 0; partition < 2; partition++) {
                int p = partition;
                List<Long> ids = stored.stream().filter(each -> each.partition() == p)
                        .map(each -> each.event().key().get("id").asLong()).toList();
                assertThat(ids).as("partition %d holds group g%d's rows in commit order", p, p).isSorted()
                        .allMatch(id -> GroupWriters.groupOf(id) == p);
            }
            Map<String, List<ChangeTopic.Stored>> byTransaction = stored.stream().collect(Collectors.groupingBy(
                    each -> each.event().source().group() + "/" + each.event().transaction().orElseThrow().id()));
            assertThat(byTransaction.values()).allSatisfy(transaction -> {
                EventTransaction first = transaction.get(0).event().transaction().orElseThrow();
                assertThat(transaction).hasSize((int) first.eventCount().orElseThrow());
                assertThat(transaction).extracting(ChangeTopic.Stored::sequence).containsOnly(
                        transaction.get(0).sequence());
            });
            assertThat(byTransaction.values()).anySatisfy(transaction -> assertThat(transaction).hasSize(3));
        }
    }

    /** Waits until both primaries serve a binlog reader of the capture account: the first child's capture streams. */
    private static void awaitBinlogReaders(EmbeddedCluster cluster) {
        await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (var group : cluster.groups()) {
                try (Connection c = group.primary().connect(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.processlist"
                             + " WHERE user = 'shardwire_cdc' AND command LIKE 'Binlog Dump%'")) {
                    rs.next();
                    if (rs.getInt(1) == 0) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    /** One {@code shardwire start} JVM on the shared data dir, with ports of its own. */
    private record Child(Process process, int port, int httpPort, Path log) {

        static Child start(EmbeddedCluster cluster, int number) throws Exception {
            int port = ProxyFixture.freePort();
            int httpPort = ProxyFixture.freePort();
            Path config = DIR.resolve("child-" + number + ".yaml");
            Files.writeString(config, DemoConfig.yaml("127.0.0.1", port, httpPort, DIR.resolve("proxy").toString(),
                    ServerConfig.AuthPlugin.MYSQL_NATIVE_PASSWORD, cluster.groups(), cluster.spec().user(),
                    cluster.spec().password(), true));
            Path log = DIR.resolve("child-" + number + ".log");
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-cp",
                    System.getProperty("java.class.path"), "io.shardwire.proxy.launcher.ShardwireCommand", "start",
                    "--config", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Child child = new Child(process, port, httpPort, log);
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health")).build();
            await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
                assertThat(process.isAlive()).as("child %d alive; its log: %s", number, log).isTrue();
                try {
                    return http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException notYet) {
                    return false;
                }
            });
            return child;
        }

        Connection connect() throws SQLException {
            return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/?sslMode=DISABLED", "admin",
                    "admin");
        }

        /** SIGKILL: no shutdown hook, no close of the queue or the engines. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("killed child exits").isTrue();
        }

        /**
         * Waits for each partition's own count: a sum over both could be reached with events of one partition that
         * do not belong there (duplicates, or another database's DDL) while the other still misses some.
         */
        void awaitEvents(long partition0, long partition1) {
            try (QueueClient queue = new QueueClient(URI.create("http://127.0.0.1:" + httpPort))) {
                await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    assertThat(process.isAlive()).as("child alive; its log: %s", log).isTrue();
                    return queue.latestOffset(CaptureOptions.DEFAULT_TOPIC, 0) >= partition0
                            && queue.latestOffset(CaptureOptions.DEFAULT_TOPIC, 1) >= partition1;
                });
            }
        }

        /** SIGTERM, so that the queue is closed cleanly before the test opens it. */
        void stop() throws InterruptedException, IOException {
            process.destroy();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("child stops on SIGTERM").isTrue();
            assertThat(Files.readString(log, StandardCharsets.UTF_8)).doesNotContain("capture failed");
        }
    }

    /**
     * One writer thread per shard group, straight into the primary's physical {@code customers} slice: odd ids to
     * g0 ({@code shop_0.customers_0}), even ids to g1 ({@code shop_2.customers_2}), one autocommit transaction per
     * row except every tenth row of a group, which starts a transaction of three.
     */
    private static final class GroupWriters {

        private final List<Thread> threads = new ArrayList<>();
        private final java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
        private final List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();

        static int groupOf(long id) {
            return id % 2 == 1 ? 0 : 1;
        }

        static GroupWriters start(EmbeddedCluster cluster, long first, long last) {
            GroupWriters writers = new GroupWriters();
            for (int group = 0; group < 2; group++) {
                int g = group;
                String table = g == 0 ? "shop_0.customers_0" : "shop_2.customers_2";
                List<Long> ids = LongStream.rangeClosed(first, last).filter(id -> groupOf(id) == g).boxed().toList();
                Thread thread = new Thread(() -> writers.write(cluster, "g" + g, table, ids), "writer-g" + g);
                writers.threads.add(thread);
                thread.start();
            }
            return writers;
        }

        private void write(EmbeddedCluster cluster, String group, String table, List<Long> ids) {
            try (Connection c = cluster.group(group).primary().connect();
                 var insert = c.prepareStatement("INSERT INTO " + table
                         + " (id, name, email, created_at) VALUES (?, ?, ?, '2026-11-26 10:00:00')")) {
                int i = 0;
                while (i < ids.size()) {
                    int size = i % 10 == 9 ? Math.min(3, ids.size() - i) : 1;
                    c.setAutoCommit(size == 1);
                    for (int k = 0; k < size; k++, i++) {
                        long id = ids.get(i);
                        insert.setLong(1, id);
                        insert.setString(2, "row " + id);
                        insert.setString(3, "r" + id + "@example.com");
                        insert.executeUpdate();
                    }
                    if (size > 1) {
                        c.commit();
                    }
                    written.addAndGet(size);
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        }

        long written() {
            return written.get();
        }

        boolean isDone() {
            return threads.stream().noneMatch(Thread::isAlive);
        }

        void awaitDone() throws InterruptedException {
            for (Thread thread : threads) {
                thread.join(TimeUnit.MINUTES.toMillis(30));
            }
            assertThat(failures).as("writer failures").isEmpty();
        }
    }
}
