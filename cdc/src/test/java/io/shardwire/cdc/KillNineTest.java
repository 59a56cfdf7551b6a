package io.shardwire.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwire.cdc.event.ChangeEvent;
import io.shardwire.cdc.event.EventTransaction;
import io.shardwire.mq.QueueSettings;
import io.shardwire.mq.QueueStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The capture runs in a child JVM that is killed with SIGKILL at random points while rows are being written, and
 * started again; at the end the queue must hold every change exactly once, and every transaction whole in one batch.
 */
class KillNineTest {

    private static final int ROWS = 2000;
    private static final int KILLS = 3;
    private static final Duration CHILD_WAIT = Duration.ofSeconds(120);

    @Test
    void killingTheCaptureWithSigkillMidStreamLosesNothingAndRepeatsNothing() throws Exception {
        String database = SharedCluster.uniqueName("kill9");
        String table = database + ".rows_";
        SharedCluster.execute("CREATE DATABASE " + database,
                "CREATE TABLE " + table + " (id INT PRIMARY KEY, payload VARCHAR(40))");
        Path dir = SharedCluster.ROOT.resolve(database);
        Files.createDirectories(dir);
        Random random = new Random();
        RowWriter writer = null;
        for (int round = 0; round < KILLS; round++) {
            Process child = startChild(dir, database, 0, "round" + round);
            if (writer == null) {
                writer = RowWriter.start(table, 1, ROWS);
                // Killed before it stores anything, the next start would snapshot rather than stream: on a slow
                // machine that snapshot held every row as an r event, and this test is about streaming.
                awaitOutput(child, dir, "round" + round, CaptureInChildJvm.STORED);
            }
            Thread.sleep(200 + random.nextInt(1500));
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        writer.awaitDone();
        Process last = startChild(dir, database, ROWS, "final");
        assertThat(last.waitFor(CHILD_WAIT.toSeconds(), TimeUnit.SECONDS)).as("final child caught up and exited")
                .isTrue();
        assertThat(Files.readString(dir.resolve("child-final.log"), StandardCharsets.UTF_8))
                .contains(CaptureInChildJvm.CAUGHT_UP);

        try (QueueStore queue = QueueStore.open(QueueSettings.defaults(dir.resolve("queue")), Clock.systemUTC())) {
            List<ChangeLog.Stored> stored = ChangeLog.read(queue, CaptureOptions.DEFAULT_TOPIC, 0);
            List<ChangeEvent> events = ChangeLog.events(stored);
            assertThat(events).hasSize(ROWS);
            assertThat(events).extracting(ChangeEvent::id).doesNotHaveDuplicates();
            assertThat(events).extracting(event -> event.key().get("id").asInt())
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, ROWS).boxed().toList());
            Map<String, List<ChangeLog.Stored>> byTransaction = stored.stream().collect(Collectors.groupingBy(
                    each -> each.event().transaction().orElseThrow().id()));
            assertThat(byTransaction.values()).allSatisfy(transaction -> {
                EventTransaction first = transaction.get(0).event().transaction().orElseThrow();
                assertThat(transaction).hasSize((int) first.eventCount().orElseThrow());
                assertThat(transaction).extracting(ChangeLog.Stored::sequence).containsOnly(
                        transaction.get(0).sequence());
            });
            assertThat(byTransaction.values()).anySatisfy(transaction -> assertThat(transaction).hasSize(3));
        }
    }

    /** Starts {@link CaptureInChildJvm} and waits until it streams. */
    static Process startChild(Path dir, String database, int expected, String label, String... more)
            throws IOException, InterruptedException, java.sql.SQLException {
        Process child = launchChild(dir, database, expected, label, more);
        awaitOutput(child, dir, label, CaptureInChildJvm.STREAMING);
        return child;
    }

    /** Waits until the child labelled {@code label} prints {@code marker}; kills it and fails if it never does. */
    static void awaitOutput(Process child, Path dir, String label, String marker)
            throws IOException, InterruptedException {
        Path output = dir.resolve("child-" + label + ".log");
        long deadline = System.nanoTime() + CHILD_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String printed = Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
            if (printed.contains(marker)) {
                return;
            }
            if (!child.isAlive()) {
                throw new AssertionError("child JVM " + label + " exited with " + child.exitValue()
                        + " before printing " + marker + "; its output:\n" + printed);
            }
            Thread.sleep(50);
        }
        child.destroyForcibly();
        throw new AssertionError("child JVM " + label + " did not print " + marker + " within " + CHILD_WAIT);
    }

    /**
     * Starts {@link CaptureInChildJvm}, its output in {@code <dir>/child-<label>.log}, without waiting.
     *
     * @param more further arguments of the child (see {@link CaptureInChildJvm})
     */
    static Process launchChild(Path dir, String database, int expected, String label, String... more)
            throws IOException, java.sql.SQLException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(),
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", System.getProperty("java.class.path"), CaptureInChildJvm.class.getName(),
                Integer.toString(SharedCluster.primary().port()), dir.resolve("queue").toString(),
                dir.resolve("cdc").toString(), database, Integer.toString(expected)));
        command.addAll(List.of(more));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child-" + label + ".log").toFile())
                .start();
    }
}
