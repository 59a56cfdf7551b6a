package io.shardwire.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwire.cdc.event.ChangeEvent;
import io.shardwire.cdc.event.Operation;
import io.shardwire.mq.QueueSettings;
import io.shardwire.mq.QueueStore;
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
 * The capture's first start snapshots existing rows; it is killed with SIGKILL in the middle of that and started
 * again: the snapshot is taken again from the start and completes, consistent with the binlog it then streams from.
 */
class SnapshotCrashTest {

    private static final int ROWS = 100_000;

    @Test
    void aSnapshotKilledMidwayIsTakenAgainWholeAndStreamingGoesOnFromItsPosition() throws Exception {
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
        Path dir = SharedCluster.ROOT.resolve(database);
        Files.createDirectories(dir);

        Process first = KillNineTest.launchChild(dir, database, 0, "first");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (storedBytes(dir.resolve("queue")) == 0 && first.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        first.destroyForcibly(); // SIGKILL while the snapshot's batches are being stored
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        int interrupted;
        try (QueueStore queue = QueueStore.open(QueueSettings.defaults(dir.resolve("queue")), Clock.systemUTC())) {
            interrupted = ChangeLog.read(queue, CaptureOptions.DEFAULT_TOPIC, 0).size();
        }
        System.out.printf("SnapshotCrashTest: killed after %d of %d snapshot reads were stored%n", interrupted, ROWS);
        assertThat(interrupted).as("killed in the middle of the snapshot").isBetween(1, ROWS - 1);

        // Writes go on meanwhile (here in a database the capture does not read), so the binlog moves on.
        SharedCluster.execute("CREATE DATABASE " + database + "_side",
                "CREATE TABLE " + database + "_side.t (id INT PRIMARY KEY)",
                "INSERT INTO " + database + "_side.t VALUES (1)");
        Process second = KillNineTest.startChild(dir, database, interrupted + ROWS + 1, "second");
        SharedCluster.execute("INSERT INTO " + table + " VALUES (" + (ROWS + 1) + ", 'after the snapshot')");
        assertThat(second.waitFor(2, TimeUnit.MINUTES)).as("second child caught up and exited").isTrue();
        assertThat(Files.readString(dir.resolve("child-second.log"), StandardCharsets.UTF_8))
                .contains(CaptureInChildJvm.CAUGHT_UP);

        try (QueueStore queue = QueueStore.open(QueueSettings.defaults(dir.resolve("queue")), Clock.systemUTC())) {
            List<ChangeEvent> events = ChangeLog.events(ChangeLog.read(queue, CaptureOptions.DEFAULT_TOPIC, 0));
            assertThat(events).hasSize(interrupted + ROWS + 1);
            List<ChangeEvent> firstReads = events.subList(0, interrupted);
            List<ChangeEvent> secondReads = events.subList(interrupted, interrupted + ROWS);
            assertThat(firstReads).allSatisfy(event -> assertThat(event.op()).isEqualTo(Operation.READ));
            assertThat(secondReads).allSatisfy(event -> assertThat(event.op()).isEqualTo(Operation.READ));
            assertThat(secondReads.stream().map(event -> event.key().get("id").asInt()).sorted().toList())
                    .as("the second snapshot holds every row once")
                    .isEqualTo(IntStream.rangeClosed(1, ROWS).boxed().toList());
            assertThat(secondReads.get(0).source().binlogPosition())
                    .as("the second snapshot starts at a binlog position of its own")
                    .isNotEqualTo(firstReads.get(0).source().binlogPosition());
            assertThat(events).extracting(ChangeEvent::id).doesNotHaveDuplicates();
            ChangeEvent last = events.get(events.size() - 1);
            assertThat(last.op()).isEqualTo(Operation.CREATE);
            assertThat(last.key().get("id").asInt()).isEqualTo(ROWS + 1);
        }
    }

    /** Bytes in the queue's log files so far. */
    private static long storedBytes(Path queueDir) throws java.io.IOException {
        if (!Files.exists(queueDir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(queueDir)) {
            return files.filter(file -> file.toString().endsWith(".log")).mapToLong(file -> file.toFile().length())
                    .sum();
        }
    }
}
