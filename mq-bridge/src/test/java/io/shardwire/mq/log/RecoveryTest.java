package io.shardwire.mq.log;

import static io.shardwire.mq.log.TestBatches.anonymous;
import static io.shardwire.mq.log.TestBatches.produced;
import static io.shardwire.mq.log.TestBatches.smallSegments;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecoveryTest {

    private static final TopicPartition PARTITION = new TopicPartition("cdc", 3);
    private static final LogConfig ONE_SEGMENT = new LogConfig(1 << 20, 256, FsyncPolicy.BATCH);

    @TempDir
    Path dataDir;

    private Path activeLogFile(PartitionLog log) {
        return log.dir().resolve(String.format("%020d.log", log.segmentBaseOffsets().getLast()));
    }

    private static List<Record> records(PartitionLog log) throws IOException {
        List<Record> records = new ArrayList<>();
        for (LogRecord record : log.read(log.logStartOffset(), Integer.MAX_VALUE, Integer.MAX_VALUE)) {
            records.add(record.record());
        }
        return records;
    }

    @ParameterizedTest(name = "first {0} bytes of a batch")
    @ValueSource(ints = {1, 11, 12, 13, 47, 60, -1})
    void aTornBatchAtTheEndIsCutAndTheWholeBatchesRemain(int tornBytes) throws Exception {
        List<Record> whole = new ArrayList<>();
        Path file;
        long sizeBefore;
        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, ONE_SEGMENT)) {
            for (int b = 0; b < 10; b++) {
                log.append(anonymous(b, 100 + b));
                whole.addAll(anonymous(b, 100 + b).records());
            }
            file = activeLogFile(log);
            sizeBefore = Files.size(file);
        }
        ByteBuffer next = BatchFormat.encode(anonymous(10, 110), whole.size());
        int length = tornBytes < 0 ? next.remaining() - 1 : tornBytes;
        appendBytes(file, next.limit(length));

        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, ONE_SEGMENT)) {
            assertThat(log.recoveredBytes()).isEqualTo(length);
            assertThat(Files.size(file)).isEqualTo(sizeBefore);
            assertThat(log.logEndOffset()).isEqualTo(whole.size());
            assertThat(records(log)).isEqualTo(whole);
            assertThat(log.append(anonymous(10, 110))).isEqualTo(new AppendResult.Appended(whole.size(),
                    whole.size() + 2));
        }
    }

    @Test
    void garbageAfterTheLastBatchIsCut() throws Exception {
        Path file;
        long sizeBefore;
        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, ONE_SEGMENT)) {
            for (int b = 0; b < 4; b++) {
                log.append(anonymous(b, 100));
            }
            file = activeLogFile(log);
            sizeBefore = Files.size(file);
        }
        byte[] garbage = new byte[300];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = (byte) (i * 31 + 7);
        }
        appendBytes(file, ByteBuffer.wrap(garbage));

        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, ONE_SEGMENT)) {
            assertThat(log.recoveredBytes()).isEqualTo(300);
            assertThat(Files.size(file)).isEqualTo(sizeBefore);
            assertThat(log.logEndOffset()).isEqualTo(1 + 2 + 3 + 4);
        }
    }

    @Test
    void aBadCrcInTheMiddleOfTheActiveSegmentCutsFromThatBatchOn() throws Exception {
        List<Record> kept = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        Path file;
        long sizeBefore;
        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, ONE_SEGMENT)) {
            for (int b = 0; b < 10; b++) {
                positions.add((int) Files.size(activeLogFile(log)));
                log.append(anonymous(b, 100 + b));
                if (b < 5) {
                    kept.addAll(anonymous(b, 100 + b).records());
                }
            }
            file = activeLogFile(log);
            sizeBefore = Files.size(file);
        }
        int fifth = positions.get(5);
        flipByte(file, fifth + 60);

        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, ONE_SEGMENT)) {
            assertThat(log.recoveredBytes()).isEqualTo(sizeBefore - fifth);
            assertThat(Files.size(file)).isEqualTo(fifth);
            assertThat(records(log)).isEqualTo(kept);
        }
    }

    @Test
    void missingIndexFilesOfARolledSegmentAreRebuiltIdentically() throws Exception {
        List<Record> appended = new ArrayList<>();
        Path dir;
        List<Long> bases;
        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, smallSegments(FsyncPolicy.BATCH))) {
            for (int b = 0; b < 40; b++) {
                log.append(anonymous(b, 1_000 + b));
                appended.addAll(anonymous(b, 1_000 + b).records());
            }
            dir = log.dir();
            bases = log.segmentBaseOffsets();
        }
        String prefix = String.format("%020d", bases.get(2));
        byte[] index = Files.readAllBytes(dir.resolve(prefix + ".index"));
        byte[] timeIndex = Files.readAllBytes(dir.resolve(prefix + ".timeindex"));
        assertThat(index).isNotEmpty();
        Files.delete(dir.resolve(prefix + ".index"));
        Files.delete(dir.resolve(prefix + ".timeindex"));

        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, smallSegments(FsyncPolicy.BATCH))) {
            assertThat(Files.readAllBytes(dir.resolve(prefix + ".index"))).isEqualTo(index);
            assertThat(Files.readAllBytes(dir.resolve(prefix + ".timeindex"))).isEqualTo(timeIndex);
            assertThat(records(log)).isEqualTo(appended);
            assertThat(log.offsetForTimestamp(1_000 + 20)).isEqualTo(offsetOfBatch(20));
        }
    }

    @Test
    void anIndexThatFailsItsSanityCheckIsRebuilt() throws Exception {
        Path dir;
        List<Long> bases;
        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, smallSegments(FsyncPolicy.BATCH))) {
            for (int b = 0; b < 40; b++) {
                log.append(anonymous(b, 1_000 + b));
            }
            dir = log.dir();
            bases = log.segmentBaseOffsets();
        }
        Path indexFile = dir.resolve(String.format("%020d.index", bases.get(1)));
        byte[] index = Files.readAllBytes(indexFile);
        Files.write(indexFile, ByteBuffer.allocate(16).putInt(9).putInt(999_999).putInt(3).putInt(5).array());

        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, smallSegments(FsyncPolicy.BATCH))) {
            assertThat(Files.readAllBytes(indexFile)).isEqualTo(index);
            assertThat(log.read(bases.get(1) + 1, 1, 1000)).extracting(LogRecord::offset)
                    .containsExactly(bases.get(1) + 1);
        }
    }

    @Test
    void aDamagedInactiveSegmentWithoutIndexFailsTheOpenWithWhatToDo() throws Exception {
        Path dir;
        List<Long> bases;
        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, smallSegments(FsyncPolicy.BATCH))) {
            for (int b = 0; b < 40; b++) {
                log.append(anonymous(b, 1_000 + b));
            }
            dir = log.dir();
            bases = log.segmentBaseOffsets();
        }
        String prefix = String.format("%020d", bases.get(1));
        Files.delete(dir.resolve(prefix + ".index"));
        flipByte(dir.resolve(prefix + ".log"), 20);

        assertThatThrownBy(() -> PartitionLog.open(dataDir, PARTITION, smallSegments(FsyncPolicy.BATCH)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("corrupt batch in " + dir.resolve(prefix + ".log") + " at position 0")
                .hasMessageContaining("restore " + dir.resolve(prefix + ".log") + " from a backup");
    }

    @Test
    void producerPositionsComeBackWithTheLatestSnapshotDamagedOrAllSnapshotsGone() throws Exception {
        Path dir;
        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, smallSegments(FsyncPolicy.BATCH))) {
            for (int b = 0; b < 40; b++) {
                log.append(produced(b % 2 == 0 ? "even" : "odd", b, 1_000));
            }
            dir = log.dir();
        }
        List<Long> snapshots = LogFileNames.offsetsOf(dir, ".producers");
        assertThat(snapshots).hasSizeGreaterThan(2);
        flipByte(dir.resolve(String.format("%020d.producers", snapshots.getLast())), 12);
        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, smallSegments(FsyncPolicy.BATCH))) {
            assertThat(log.lastPosition("even")).contains(TestBatches.position(38));
            assertThat(log.lastPosition("odd")).contains(TestBatches.position(39));
        }
        for (long snapshot : snapshots) {
            Files.delete(dir.resolve(String.format("%020d.producers", snapshot)));
        }
        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, smallSegments(FsyncPolicy.BATCH))) {
            assertThat(log.lastPosition("even")).contains(TestBatches.position(38));
            assertThat(log.lastPosition("odd")).contains(TestBatches.position(39));
            assertThat(log.lastPosition("none")).isEmpty();
        }
    }

    @Test
    void leftoverTempAndDeletedFilesAreRemovedOnOpen() throws Exception {
        Path dir;
        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, ONE_SEGMENT)) {
            log.append(anonymous(1, 1));
            dir = log.dir();
        }
        Files.write(dir.resolve("00000000000000000000.index.tmp"), new byte[5]);
        Files.write(dir.resolve("00000000000000000099.log.deleted"), new byte[5]);

        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, ONE_SEGMENT)) {
            assertThat(dir.resolve("00000000000000000000.index.tmp")).doesNotExist();
            assertThat(dir.resolve("00000000000000000099.log.deleted")).doesNotExist();
            assertThat(log.logEndOffset()).isEqualTo(2);
        }
    }

    /** The offset of batch b's first record, when batch i holds 1 + i % 4 records. */
    private static long offsetOfBatch(int b) {
        long offset = 0;
        for (int i = 0; i < b; i++) {
            offset += 1 + i % 4;
        }
        return offset;
    }

    private static void appendBytes(Path file, ByteBuffer bytes) throws IOException {
        byte[] content = new byte[bytes.remaining()];
        bytes.duplicate().get(content);
        Files.write(file, content, StandardOpenOption.APPEND);
    }

    private static void flipByte(Path file, int position) throws IOException {
        byte[] content = Files.readAllBytes(file);
        content[position] ^= 0x01;
        Files.write(file, content);
    }
}
