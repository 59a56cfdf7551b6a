package io.shardwire.mq.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM that appends with {@link FsyncPolicy#BATCH} at random points ({@code -Dcrash.rounds}, default 50,
 * seed {@code -Dcrash.seed}) and checks after each kill that every acknowledged batch is in the log exactly once, no
 * partial batch is visible, CRCs hold, and the producer cannot append its last acknowledged batch again.
 */
class CrashSafetyTest {

    @TempDir
    Path dataDir;

    private record Ack(long sequence, long first, long last) {
    }

    @Test
    void acknowledgedBatchesSurviveSigkillExactlyOnce() throws Exception {
        int rounds = Integer.getInteger("crash.rounds", 50);
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("crash safety: " + rounds + " rounds, seed " + seed);
        Random random = new Random(seed);
        TreeMap<Long, Ack> acknowledged = new TreeMap<>();
        long totalRecoveredBytes = 0;
        int roundsWithTornTail = 0;
        for (int round = 0; round < rounds; round++) {
            List<Ack> acks = runAndKill(random.nextInt(400));
            for (Ack ack : acks) {
                assertThat(acknowledged.put(ack.sequence(), ack)).as("sequence %d acknowledged twice", ack.sequence())
                        .isNull();
            }
            try (PartitionLog log = PartitionLog.open(dataDir, CrashAppender.PARTITION, CrashAppender.CONFIG)) {
                totalRecoveredBytes += log.recoveredBytes();
                roundsWithTornTail += log.recoveredBytes() > 0 ? 1 : 0;
                verify(log, acknowledged, "round " + round + ", seed " + seed);
            }
        }
        System.out.printf("crash safety: %d batches acknowledged over %d rounds; recovery cut %d bytes in %d rounds%n",
                acknowledged.size(), rounds, totalRecoveredBytes, roundsWithTornTail);
        assertThat(acknowledged).isNotEmpty();
    }

    /** Starts the child, lets it append for a while after it is ready, kills it and returns what it acknowledged. */
    private List<Ack> runAndKill(int appendMillis) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Quick start-up flags, and no logging back end: logback's start-up would double the time per round.
        Process child = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", System.getProperty("java.class.path"), CrashAppender.class.getName(), dataDir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<Ack> acks = new ArrayList<>();
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = Thread.ofPlatform().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    String[] fields = line.split(" ");
                    if (fields[0].equals("ready")) {
                        ready.countDown();
                    } else if (fields[0].equals("ack") && fields.length == 4) {
                        synchronized (acks) {
                            acks.add(new Ack(Long.parseLong(fields[1]), Long.parseLong(fields[2]),
                                    Long.parseLong(fields[3])));
                        }
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // The kill can cut the last line short; everything before it was read.
            }
        });
        try {
            assertThat(ready.await(60, TimeUnit.SECONDS)).as("child started").isTrue();
            Thread.sleep(appendMillis);
            assertThat(child.isAlive()).as("child still appending").isTrue();
        } finally {
            child.destroyForcibly();
            child.waitFor();
            reader.join();
        }
        synchronized (acks) {
            return List.copyOf(acks);
        }
    }

    private static void verify(PartitionLog log, TreeMap<Long, Ack> acknowledged, String context) throws Exception {
        long offset = log.logStartOffset();
        long expectedSequence = 0;
        TreeMap<Long, long[]> stored = new TreeMap<>();
        // Reading decodes every batch and checks its CRC; each batch must be exactly what the child built.
        while (offset < log.logEndOffset()) {
            List<LogRecord> records = log.read(offset, 1_000, 1 << 20);
            int i = 0;
            while (i < records.size()) {
                long sequence = records.get(i).producer().orElseThrow().position().sequence();
                assertThat(sequence).as("%s: sequences in the log", context).isEqualTo(expectedSequence);
                List<Record> expected = CrashAppender.batch(sequence).records();
                long first = records.get(i).offset();
                for (Record record : expected) {
                    if (i == records.size()) {
                        records = log.read(offset, 1_000, 1 << 20);
                        i = 0;
                    }
                    assertThat(records.get(i).record()).as("%s: offset %d", context, offset).isEqualTo(record);
                    assertThat(records.get(i).offset()).isEqualTo(offset);
                    i++;
                    offset++;
                }
                stored.put(sequence, new long[] {first, offset - 1});
                expectedSequence++;
            }
        }
        for (Ack ack : acknowledged.values()) {
            long[] range = stored.get(ack.sequence());
            assertThat(range).as("%s: acknowledged sequence %d is stored", context, ack.sequence()).isNotNull();
            assertThat(range).as("%s: offsets of sequence %d", context, ack.sequence())
                    .containsExactly(ack.first(), ack.last());
        }
        if (!acknowledged.isEmpty()) {
            long last = acknowledged.lastKey();
            assertThat(log.append(CrashAppender.batch(last))).as("%s: re-append of sequence %d", context, last)
                    .isInstanceOf(AppendResult.Duplicate.class);
        }
    }
}
