package io.shardwire.mq.log;

import static io.shardwire.mq.log.TestBatches.anonymous;
import static io.shardwire.mq.log.TestBatches.position;
import static io.shardwire.mq.log.TestBatches.produced;
import static io.shardwire.mq.log.TestBatches.smallSegments;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdempotentAppendTest {

    private static final TopicPartition PARTITION = new TopicPartition("cdc", 0);

    @TempDir
    Path dataDir;

    @Test
    void aBatchAtOrBeforeTheLastStoredSequenceIsDropped() throws Exception {
        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, smallSegments(FsyncPolicy.BATCH))) {
            assertThat(log.append(produced("cdc-g0", 1, 10))).isEqualTo(new AppendResult.Appended(0, 1));
            assertThat(log.append(produced("cdc-g0", 2, 10))).isEqualTo(new AppendResult.Appended(2, 4));

            AppendResult again = log.append(produced("cdc-g0", 2, 10));
            assertThat(again).isEqualTo(new AppendResult.Duplicate("cdc-g0", position(2)));
            assertThat(again).hasToString("duplicate from cdc-g0, last stored = sequence 2 (706f732d32)");
            assertThat(log.append(produced("cdc-g0", 1, 10)))
                    .isEqualTo(new AppendResult.Duplicate("cdc-g0", position(2)));
            assertThat(log.logEndOffset()).isEqualTo(5);

            assertThat(log.append(produced("cdc-g1", 1, 10))).isEqualTo(new AppendResult.Appended(5, 6));
            assertThat(log.append(produced("cdc-g0", 5, 10))).isEqualTo(new AppendResult.Appended(7, 8));
            assertThat(log.append(anonymous(1, 10))).isEqualTo(new AppendResult.Appended(9, 10));
            assertThat(log.append(anonymous(1, 10))).isEqualTo(new AppendResult.Appended(11, 12));
            assertThat(log.lastPosition("cdc-g0")).contains(position(5));
            assertThat(log.lastPosition("cdc-g1")).contains(position(1));
        }
    }

    @Test
    void lastPositionsSurviveReopenAcrossRollsAndStillDropDuplicates() throws Exception {
        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, smallSegments(FsyncPolicy.BATCH))) {
            for (int b = 0; b < 50; b++) {
                log.append(produced(b % 3 == 0 ? "a" : "b", b, 10));
            }
            assertThat(log.segmentCount()).isGreaterThan(3);
        }
        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, smallSegments(FsyncPolicy.BATCH))) {
            assertThat(log.lastPosition("a")).contains(position(48));
            assertThat(log.lastPosition("b")).contains(position(49));
            assertThat(log.append(produced("a", 48, 10))).isEqualTo(new AppendResult.Duplicate("a", position(48)));
            assertThat(log.append(produced("b", 12, 10))).isEqualTo(new AppendResult.Duplicate("b", position(49)));
        }
    }

    @Test
    void producerPositionsOutliveTheSegmentsThatHeldTheirBatches() throws Exception {
        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, smallSegments(FsyncPolicy.BATCH))) {
            log.append(produced("quiet", 7, 10));
            for (int b = 0; b < 40; b++) {
                log.append(produced("busy", b, 10));
            }
            log.applyRetention(new RetentionPolicy(-1, 0), 0);
            assertThat(log.segmentCount()).isEqualTo(1);
        }
        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, smallSegments(FsyncPolicy.BATCH))) {
            assertThat(log.lastPosition("quiet")).contains(position(7));
            assertThat(log.append(produced("quiet", 7, 10))).isEqualTo(new AppendResult.Duplicate("quiet",
                    position(7)));
        }
    }

    @Test
    void seekBySourcePositionReturnsTheOffsetAfterThatPosition() throws Exception {
        List<long[]> batchesOfA = new ArrayList<>();
        try (PartitionLog log = PartitionLog.open(dataDir, PARTITION, smallSegments(FsyncPolicy.NEVER))) {
            // Producer a writes even sequences 0, 2, 4, ...; producer b interleaves.
            for (int b = 0; b < 60; b++) {
                AppendResult.Appended appended = (AppendResult.Appended) log.append(produced("a", 2 * b, 10));
                batchesOfA.add(new long[] {2L * b, appended.lastOffset()});
                log.append(produced("b", b, 10));
            }
            assertThat(log.segmentCount()).isGreaterThan(5);

            for (long sequence = 0; sequence <= 121; sequence++) {
                long expected = 0;
                for (long[] batch : batchesOfA) {
                    if (batch[0] <= sequence) {
                        expected = batch[1] + 1;
                    }
                }
                assertThat(log.offsetAfter("a", position(sequence))).as("sequence %d", sequence).isEqualTo(expected);
            }
            assertThat(log.offsetAfter("nobody", position(3))).isZero();

            log.applyRetention(new RetentionPolicy(-1, log.sizeInBytes() / 2), 0);
            long start = log.logStartOffset();
            assertThat(start).isPositive();
            assertThat(log.offsetAfter("a", position(0))).isEqualTo(start);
            long expectedAfter100 = batchesOfA.get(50)[1] + 1;
            assertThat(log.offsetAfter("a", position(100))).isEqualTo(expectedAfter100);
            assertThat(log.offsetAfter("a", position(101))).isEqualTo(expectedAfter100);
        }
    }
}
