package io.shardwire.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwire.cdc.event.ChangeEvent;
import io.shardwire.cdc.event.Operation;
import io.shardwire.mq.QueueSettings;
import io.shardwire.mq.QueueStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The capture's first start snapshots existing rows; it is killed with SIGKILL twice while the snapshot is staged and
 * once while the complete snapshot is copied into the group's partition, and started again each time: the partition
 * never holds a read of an interrupted snapshot, and in the end holds every row exactly once, then the streamed
 * change.
 */
class SnapshotCrashTest {

    private static final int ROWS = 20_000;
    /** Small copy batches (the most events per batch), so that the copy takes long enough to be killed in. */
    private static final String BATCH_EVENTS = "200";
    /** What a capture logs as it begins a snapshot attempt's staging (SnapshotStaging.STAGING). */
    private static final String STAGING = "staging the snapshot's reads in";

    @Test
    void aSnapshotKilledWhileStagedOrCopiedEndsUpInThePartitionExactlyOnce() throws Exception {
        String database = SharedCluster.uniqueName("snapcrash");
        String table = database + ".rows_";
        SharedCluster.execute("CREATE DATABASE " + database,
                "CREATE TABLE " + table + " (id INT PRIMARY KEY, payload VARCHAR(40))");
        try (Connection c = SharedCluster.primary().connect(); Statement s = c.createStatement()) {
            for (int first = 1; first <= ROWS; first += 1000) {
                s.execute("INSERT INTO " + table + " VALUES " + IntStream.range(first, first + 1000)
                        .mapToObj(id -> "(" + id + ", 'row " + id + "')").collect(Collectors.joining(",")));
            }
        }
        // Before any snapshot, so that this DDL lies before the snapshot's position (streamed, it would be a schema
        // change event).
        SharedCluster.execute("CREATE DATABASE " + database + "_side",
                "CREATE TABLE " + database + "_side.t (id INT PRIMARY KEY)");
        Path dir = SharedCluster.ROOT.resolve(database);
        Files.createDirectories(dir);
        Path queueDir = dir.resolve("queue");
        Path staging = queueDir.resolve(CaptureOptions.DEFAULT_TOPIC + ".snapshot.g0-0");
        Path partition = queueDir.resolve(CaptureOptions.DEFAULT_TOPIC + "-0");

        for (String round : List.of("staging-1", "staging-2")) {
            // The staging of this child's own attempt: the last child's is deleted when this one begins.
            killWhen(dir, database, round, () -> Files.readString(dir.resolve("child-" + round + ".log"),
                    StandardCharsets.UTF_8).contains(STAGING) && logBytes(staging) > 0);
            assertThat(storedEvents(queueDir)).as("the partition after a kill while the snapshot was staged (%s)",
                    round).isZero();
        }
        // A kill as the copy's first bytes appear may come before its first batch is whole, which recovery drops
        // (nothing of the copy stored yet): then the next child copies again and is killed the same way.
        long copied = 0;
        for (int attempt = 1; copied == 0 && attempt <= 3; attempt++) {
            long before = logBytes(partition);
            killWhen(dir, database, "copying-" + attempt, () -> logBytes(partition) > before);
            copied = storedEvents(queueDir);
        }
        System.out.printf("SnapshotCrashTest: killed after %d of %d snapshot reads were copied%n", copied, ROWS);
        assertThat(copied).as("killed in the middle of the copy").isBetween(1L, ROWS - 1L);

        // Writes go on meanwhile (here in a database the capture does not read), so the binlog moves on.
        SharedCluster.execute("INSERT INTO " + database + "_side.t VALUES (1)");
        Process last = KillNineTest.startChild(dir, database, ROWS + 1, "last", BATCH_EVENTS);
        SharedCluster.execute("INSERT INTO " + table + " VALUES (" + (ROWS + 1) + ", 'after the snapshot')");
        assertThat(last.waitFor(2, TimeUnit.MINUTES)).as("last child caught up and exited").isTrue();
        assertThat(Files.readString(dir.resolve("child-last.log"), StandardCharsets.UTF_8))
                .contains(CaptureInChildJvm.CAUGHT_UP);

        try (QueueStore queue = QueueStore.open(QueueSettings.defaults(queueDir), Clock.systemUTC())) {
            List<ChangeEvent> events = ChangeLog.events(ChangeLog.read(queue, CaptureOptions.DEFAULT_TOPIC, 0));
            assertThat(events).hasSize(ROWS + 1);
            List<ChangeEvent> reads = events.subList(0, ROWS);
            assertThat(reads).allSatisfy(event -> assertThat(event.op()).isEqualTo(Operation.READ));
            assertThat(reads.stream().map(event -> event.key().get("id").asInt()).sorted().toList())
                    .as("the snapshot holds every row once")
                    .isEqualTo(IntStream.rangeClosed(1, ROWS).boxed().toList());
            assertThat(events).extracting(ChangeEvent::id).doesNotHaveDuplicates();
            ChangeEvent streamed = events.get(ROWS);
            assertThat(streamed.op()).isEqualTo(Operation.CREATE);
            assertThat(streamed.key().get("id").asInt()).isEqualTo(ROWS + 1);
            assertThat(queue.topic(CaptureOptions.DEFAULT_TOPIC + ".snapshot.g0")).as("the staging, deleted").isEmpty();
        }
    }

    /** Starts a capture in a child JVM and kills it with SIGKILL as soon as {@code condition} holds. */
    private static void killWhen(Path dir, String database, String label, Check condition) throws Exception {
        Process child = KillNineTest.launchChild(dir, database, 0, label, BATCH_EVENTS);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!condition.holds() && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(condition.holds()).as("%s: the moment to kill came (child output in %s)", label,
                dir.resolve("child-" + label + ".log")).isTrue();
    }

    private static long storedEvents(Path queueDir) throws IOException, InterruptedException {
        try (QueueStore queue = QueueStore.open(QueueSettings.defaults(queueDir), Clock.systemUTC())) {
            return queue.topic(CaptureOptions.DEFAULT_TOPIC).isEmpty() ? 0
                    : ChangeLog.read(queue, CaptureOptions.DEFAULT_TOPIC, 0).size();
        }
    }

    /** Bytes in a partition directory's log files so far. */
    private static long logBytes(Path partitionDir) throws IOException {
        if (!Files.exists(partitionDir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(partitionDir)) {
            return files.filter(file -> file.toString().endsWith(".log")).mapToLong(file -> file.toFile().length())
                    .sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0; // the directory was deleted while listed
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws IOException;
    }
}
