package io.shardwire.mq.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeIndexTest {

    @TempDir
    Path dir;

    @Test
    void keepsOnlyGrowingTimestampsAndLooksUpTheLargestAtOrBelow() {
        TimeIndex index = new TimeIndex(0);
        index.maybeAppend(1_000, 0);
        index.maybeAppend(1_000, 5);
        index.maybeAppend(900, 7);
        index.maybeAppend(2_000, 9);

        assertThat(index.entries()).isEqualTo(2);
        assertThat(index.lookup(999)).isEqualTo(new TimestampOffset(TimeIndex.NO_TIMESTAMP, 0));
        assertThat(index.lookup(1_000)).isEqualTo(new TimestampOffset(1_000, 0));
        assertThat(index.lookup(1_999)).isEqualTo(new TimestampOffset(1_000, 0));
        assertThat(index.lookup(2_500)).isEqualTo(new TimestampOffset(2_000, 9));
        assertThat(index.lastEntry()).isEqualTo(new TimestampOffset(2_000, 9));
    }

    @Test
    void rejectsAnOffsetThatGoesBack() {
        TimeIndex index = new TimeIndex(0);
        index.maybeAppend(1_000, 10);

        assertThatThrownBy(() -> index.maybeAppend(2_000, 9))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("time index entry (timestamp 2000, offset 9) goes back from the last entry's offset 10");
    }

    @Test
    void serializedFormIsTwelveBytesPerEntryAndReadsBack() throws Exception {
        TimeIndex index = new TimeIndex(200);
        for (int i = 0; i < 100; i++) {
            index.maybeAppend(10_000 + i * 10L, 200 + i * 3L);
        }
        Path file = dir.resolve("00000000000000000200.timeindex");
        Files.write(file, OffsetIndexTest.toArray(index.toBuffer()));

        assertThat(Files.size(file)).isEqualTo(1_200);
        TimeIndex read = TimeIndex.read(file, 200, 600);
        assertThat(read.entries()).isEqualTo(100);
        assertThat(read.lookup(10_505)).isEqualTo(new TimestampOffset(10_500, 350));
        assertThat(read.lastEntry()).isEqualTo(new TimestampOffset(10_990, 497));
    }

    @Test
    void readRejectsTimestampsThatDoNotIncrease() throws Exception {
        Path file = dir.resolve("00000000000000000000.timeindex");
        Files.write(file, OffsetIndexTest.toArray(
                ByteBuffer.allocate(24).putLong(500).putInt(1).putLong(500).putInt(2).flip()));

        assertThatThrownBy(() -> TimeIndex.read(file, 0, 10))
                .isInstanceOf(CorruptIndexException.class)
                .hasMessageContaining("entry 1 (timestamp 500, offset 2) out of order");
    }
}
