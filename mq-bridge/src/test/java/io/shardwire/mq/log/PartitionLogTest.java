package io.shardwire.mq.log;

import static io.shardwire.mq.log.TestBatches.anonymous;
import static io.shardwire.mq.log.TestBatches.bytes;
import static io.shardwire.mq.log.TestBatches.smallSegments;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogTest {

    private static final TopicPartition PARTITION = new TopicPartition("orders", 0);

    @TempDir
    Path dataDir;

    /** Appends batches 0..count-1 and returns every record in append order. */
    private static List<Record> appendBatches(PartitionLog log, int count) throws Exception {
        List<Record> appended = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            RecordBatch batch = anonymous(b, 1_000L + b);
            AppendResult result = log.append(batch);
            assertThat(result).isEqualTo(new AppendResult.Appended(appended.size(),
                    appended.size() + batch.records().size() - 1));
            appended.addAll(batch.records());
        }
        return appended;
    }

    private static List<Record> readAll(PartitionLog log, long from, int chunk) throws Exception {
        List<Record> records = new ArrayList<>();
        long next = from;
        while (next < log.logEndOffset()) {
            List<LogRecord> read = log.read(next, chunk, Integer.MAX_VALUE);
            for (LogRecord record : read) {
                assertThat(record.offset()).isEqualTo(next++);
                records.add(record.record());
            }
        }
        return records;
    }

    @Test
    void recordsReadBackExactlyAcrossSegmentRolls() throws Exception {
        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, smallSegments(FsyncPolicy.NEVER))) {
            List<Record> appended = appendBatches(log, 120);

            assertThat(log.segmentCount()).isGreaterThan(10);
            assertThat(log.logEndOffset()).isEqualTo(appended.size());
            assertThat(readAll(log, 0, 7)).isEqualTo(appended);
            for (int from = 0; from < appended.size(); from += 11) {
                assertThat(log.read(from, 1, Integer.MAX_VALUE).get(0).record()).isEqualTo(appended.get(from));
            }
            for (long base : log.segmentBaseOffsets()) {
                Path logFile = log.dir().resolve(LogFileNames.filenamePrefix(base) + ".log");
                assertThat(Files.size(logFile)).isLessThanOrEqualTo(1024);
            }
        }
    }

    @Test
    void segmentFilesAreNamedByZeroPaddedBaseOffsetWithIndexesForRolledSegments() throws Exception {
        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, smallSegments(FsyncPolicy.NEVER))) {
            appendBatches(log, 60);
            List<Long> bases = log.segmentBaseOffsets();
            Path dir = dataDir.resolve("orders-0");
            assertThat(log.dir()).isEqualTo(dir);
            assertThat(dir.resolve("00000000000000000000.log")).exists();
            for (long base : bases.subList(0, bases.size() - 1)) {
                String prefix = String.format("%020d", base);
                assertThat(Files.size(dir.resolve(prefix + ".index")) % 8).isZero();
                assertThat(Files.size(dir.resolve(prefix + ".timeindex"))).isPositive().matches(s -> s % 12 == 0);
            }
            assertThat(bases.subList(1, bases.size()))
                    .allSatisfy(base -> assertThat(dir.resolve(String.format("%020d.producers", base))).exists());
        }
    }

    @Test
    void reopenedLogHoldsTheSameRecordsAndContinuesTheOffsets() throws Exception {
        List<Record> appended;
        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, smallSegments(FsyncPolicy.BATCH))) {
            appended = appendBatches(log, 40);
        }
        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, smallSegments(FsyncPolicy.BATCH))) {
            assertThat(log.recoveredBytes()).isZero();
            assertThat(readAll(log, 0, 1000)).isEqualTo(appended);
            assertThat(log.append(anonymous(0, 5))).isEqualTo(new AppendResult.Appended(appended.size(),
                    appended.size()));
        }
    }

    @Test
    void readStopsAtMaxRecordsAndMaxBytesButAlwaysReturnsOneRecord() throws Exception {
        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, smallSegments(FsyncPolicy.NEVER))) {
            List<Record> appended = appendBatches(log, 20);
            int firstSize = BatchFormat.recordSize(appended.get(3));
            int secondSize = BatchFormat.recordSize(appended.get(4));

            assertThat(log.read(3, 4, Integer.MAX_VALUE)).extracting(LogRecord::offset).containsExactly(3L, 4L, 5L,
                    6L);
            assertThat(log.read(3, 100, firstSize + secondSize)).extracting(LogRecord::offset)
                    .containsExactly(3L, 4L);
            assertThat(log.read(3, 100, firstSize + secondSize - 1)).extracting(LogRecord::offset)
                    .containsExactly(3L);
            assertThat(log.read(3, 100, 1)).extracting(LogRecord::offset).containsExactly(3L);
            assertThat(log.read(log.logEndOffset(), 10, 1000)).isEmpty();
        }
    }

    @Test
    void readOutsideTheLogNamesTheRange() throws Exception {
        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, smallSegments(FsyncPolicy.NEVER))) {
            appendBatches(log, 3);

            assertThatThrownBy(() -> log.read(-1, 10, 1000))
                    .isInstanceOf(OffsetOutOfRangeException.class)
                    .hasMessage("offset -1 is out of range, earliest is 0 (partition orders-0)");
            assertThatThrownBy(() -> log.read(7, 10, 1000))
                    .isInstanceOf(OffsetOutOfRangeException.class)
                    .hasMessage("offset 7 is out of range, log end is 6 (partition orders-0)");
        }
    }

    @Test
    void seekByTimestampFindsTheFirstRecordAtOrAfterIt() throws Exception {
        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, smallSegments(FsyncPolicy.NEVER))) {
            // Batch b holds records stamped 1000 + 10 * b, except every fifth batch, stamped back in time.
            List<Long> stamps = new ArrayList<>();
            for (int b = 0; b < 80; b++) {
                long stamp = b % 5 == 4 ? 500 : 1_000 + 10L * b;
                RecordBatch batch = anonymous(b, stamp);
                log.append(batch);
                batch.records().forEach(r -> stamps.add(stamp));
            }
            for (long target : new long[] {0, 500, 501, 1_000, 1_005, 1_010, 1_395, 1_790, 1_791, 5_000}) {
                long expected = stamps.size();
                for (int offset = 0; offset < stamps.size(); offset++) {
                    if (stamps.get(offset) >= target) {
                        expected = offset;
                        break;
                    }
                }
                assertThat(log.offsetForTimestamp(target)).as("timestamp %d", target).isEqualTo(expected);
            }
        }
    }

    @Test
    void concurrentAppendersShareForcesAndGetDistinctContiguousOffsets() throws Exception {
        int threads = 4;
        int perThread = 50;
        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, new LogConfig(64 * 1024, 4096,
                FsyncPolicy.BATCH))) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<List<AppendResult.Appended>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<AppendResult.Appended> results = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        Record record = Record.of(i, bytes("t" + thread), bytes("t" + thread + "-" + i));
                        results.add((AppendResult.Appended) log.append(RecordBatch.of(List.of(record))));
                    }
                    return results;
                }));
            }
            Set<Long> offsets = new HashSet<>();
            for (Future<List<AppendResult.Appended>> future : futures) {
                List<AppendResult.Appended> results = future.get();
                for (int i = 1; i < results.size(); i++) {
                    assertThat(results.get(i).firstOffset()).isGreaterThan(results.get(i - 1).firstOffset());
                }
                results.forEach(r -> offsets.add(r.firstOffset()));
            }
            pool.shutdown();
            assertThat(offsets).hasSize(threads * perThread);
            assertThat(offsets).allMatch(o -> o >= 0 && o < threads * perThread);
            assertThat(log.forceCount()).isBetween(1L, (long) threads * perThread);
            System.out.printf("group commit: %d appends, %d forces%n", threads * perThread, log.forceCount());
            for (int t = 0; t < threads; t++) {
                String key = "t" + t;
                List<String> values = log.read(0, 1000, Integer.MAX_VALUE).stream()
                        .filter(r -> TestBatches.text(r.key()).equals(key))
                        .map(r -> TestBatches.text(r.value()))
                        .toList();
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    expected.add(key + "-" + i);
                }
                assertThat(values).isEqualTo(expected);
            }
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void longPollFetchWakesWhenARecordIsAppended() throws Exception {
        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, smallSegments(FsyncPolicy.BATCH))) {
            appendBatches(log, 2);
            long end = log.logEndOffset();
            CompletableFuture<List<LogRecord>> fetched = CompletableFuture.supplyAsync(() -> {
                try {
                    return log.fetch(end, 10, 10_000, Duration.ofHours(1));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(100);
            assertThat(fetched).isNotDone();
            log.append(RecordBatch.of(List.of(Record.of(9, bytes("k"), bytes("late")))));

            List<LogRecord> records = fetched.get();
            assertThat(records).extracting(LogRecord::offset).containsExactly(end);
            assertThat(TestBatches.text(records.get(0).value())).isEqualTo("late");
        }
    }

    @Test
    void longPollFetchReturnsEmptyAfterMaxWait() throws Exception {
        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, smallSegments(FsyncPolicy.BATCH))) {
            assertThat(log.fetch(0, 10, 1000, Duration.ofMillis(20))).isEmpty();
            log.append(anonymous(0, 1));
            assertThat(log.fetch(0, 10, 1000, Duration.ofMillis(20))).hasSize(1);
        }
    }

    @Test
    void anInterruptedReaderFailsAloneAndTheLogKeepsWorking() throws Exception {
        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, smallSegments(FsyncPolicy.BATCH))) {
            appendBatches(log, 5);
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> log.read(0, 10, 1000)).isInstanceOf(ClosedByInterruptException.class);
            } finally {
                assertThat(Thread.interrupted()).isTrue();
            }
            assertThat(log.read(0, 100, 100_000)).hasSize(11);
            assertThat(log.append(anonymous(1, 2))).isEqualTo(new AppendResult.Appended(11, 12));
            assertThat(log.read(11, 100, 100_000)).hasSize(2);
        }
    }

    @Test
    void retentionDeletesWholeOldSegmentsAndReadsBelowTheStartAreOutOfRange() throws Exception {
        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, smallSegments(FsyncPolicy.NEVER))) {
            appendBatches(log, 60);
            List<Long> bases = log.segmentBaseOffsets();
            long size = log.sizeInBytes();
            long secondSize = 0;
            try (var files = Files.list(log.dir())) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    if (file.getFileName().toString().equals(String.format("%020d.log", bases.get(1)))) {
                        secondSize = Files.size(file);
                    }
                }
            }
            long firstSize = Files.size(log.dir().resolve(String.format("%020d.log", bases.get(0))));
            // Keep at least size - first - second bytes: exactly the two oldest segments go.
            long deleted = log.applyRetention(new RetentionPolicy(-1, size - firstSize - secondSize), 0);

            assertThat(deleted).isEqualTo(firstSize + secondSize);
            assertThat(log.logStartOffset()).isEqualTo(bases.get(2));
            assertThat(log.segmentBaseOffsets()).isEqualTo(bases.subList(2, bases.size()));
            assertThat(log.dir().resolve(String.format("%020d.log", bases.get(0)))).doesNotExist();
            assertThat(log.dir().resolve(String.format("%020d.index", bases.get(1)))).doesNotExist();
            assertThatThrownBy(() -> log.read(bases.get(2) - 1, 10, 1000))
                    .isInstanceOf(OffsetOutOfRangeException.class)
                    .hasMessage("offset " + (bases.get(2) - 1) + " is out of range, earliest is " + bases.get(2)
                            + " (partition orders-0)");
            assertThat(log.read(bases.get(2), 1, 1000)).extracting(LogRecord::offset).containsExactly(bases.get(2));
        }
    }

    @Test
    void retentionByAgeDeletesSegmentsWhoseNewestRecordIsTooOld() throws Exception {
        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, smallSegments(FsyncPolicy.NEVER))) {
            for (int b = 0; b < 60; b++) {
                log.append(anonymous(b, 10_000L * b));
            }
            List<Long> bases = log.segmentBaseOffsets();
            Map<Long, Long> newestStampBySegment = new java.util.TreeMap<>();
            for (LogRecord record : log.read(0, 10_000, Integer.MAX_VALUE)) {
                long base = bases.stream().filter(b -> b <= record.offset()).reduce((a, b) -> b).orElseThrow();
                newestStampBySegment.merge(base, record.timestamp(), Math::max);
            }
            long thirdNewest = newestStampBySegment.get(bases.get(2));
            // Segments 0..2 are older than the cut-off; segment 3 onwards is not.
            long deleted = log.applyRetention(new RetentionPolicy(1_000, -1), thirdNewest + 1_001);

            assertThat(deleted).isPositive();
            assertThat(log.segmentBaseOffsets()).isEqualTo(bases.subList(3, bases.size()));
            assertThat(log.applyRetention(new RetentionPolicy(1_000, -1), thirdNewest + 1_001)).isZero();
        }
    }
}
