package io.shardwire.mq.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetIndexTest {

    @TempDir
    Path dir;

    @Test
    void lookupFindsTheLargestEntryAtOrBelowTheTarget() {
        OffsetIndex index = new OffsetIndex(1_000);
        index.append(1_010, 400);
        index.append(1_020, 900);
        index.append(1_035, 1_500);

        assertThat(index.lookup(999)).isEqualTo(new OffsetPosition(1_000, 0));
        assertThat(index.lookup(1_009)).isEqualTo(new OffsetPosition(1_000, 0));
        assertThat(index.lookup(1_010)).isEqualTo(new OffsetPosition(1_010, 400));
        assertThat(index.lookup(1_034)).isEqualTo(new OffsetPosition(1_020, 900));
        assertThat(index.lookup(5_000)).isEqualTo(new OffsetPosition(1_035, 1_500));
    }

    @Test
    void lookupAgreesWithALinearScanAcrossGrowth() {
        Random random = new Random(7);
        OffsetIndex index = new OffsetIndex(50);
        long[] offsets = new long[500];
        int[] positions = new int[500];
        long offset = 50;
        int position = 0;
        for (int i = 0; i < offsets.length; i++) {
            offset += 1 + random.nextInt(10);
            position += 1 + random.nextInt(1_000);
            offsets[i] = offset;
            positions[i] = position;
            index.append(offset, position);
        }
        for (long target = 40; target <= offset + 5; target++) {
            OffsetPosition expected = new OffsetPosition(50, 0);
            for (int i = 0; i < offsets.length && offsets[i] <= target; i++) {
                expected = new OffsetPosition(offsets[i], positions[i]);
            }
            assertThat(index.lookup(target)).as("target %d", target).isEqualTo(expected);
        }
    }

    @Test
    void appendRejectsEntriesThatDoNotIncrease() {
        OffsetIndex index = new OffsetIndex(0);
        index.append(10, 100);

        assertThatThrownBy(() -> index.append(10, 200))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("index entry (offset 10, position 200) does not follow the last entry (offset 10,"
                        + " position 100)");
        assertThatThrownBy(() -> index.append(11, 100)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void serializedFormIsEightBytesPerEntryAndReadsBack() throws Exception {
        OffsetIndex index = new OffsetIndex(100);
        index.append(103, 64);
        index.append(110, 512);
        Path file = dir.resolve("00000000000000000100.index");
        Files.write(file, toArray(index.toBuffer()));

        assertThat(Files.size(file)).isEqualTo(16);
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
        assertThat(bytes.getInt(0)).isEqualTo(3);
        assertThat(bytes.getInt(4)).isEqualTo(64);
        OffsetIndex read = OffsetIndex.read(file, 100, 120, 1_000);
        assertThat(read.entries()).isEqualTo(2);
        assertThat(read.lookup(115)).isEqualTo(new OffsetPosition(110, 512));
    }

    @Test
    void readRejectsATornOrInconsistentFile() throws Exception {
        Path file = dir.resolve("00000000000000000000.index");
        Files.write(file, new byte[12]);
        assertThatThrownBy(() -> OffsetIndex.read(file, 0, 10, 100))
                .isInstanceOf(CorruptIndexException.class)
                .hasMessageContaining("has 12 bytes, which is not a multiple of the entry size 8");

        Files.write(file, toArray(ByteBuffer.allocate(16).putInt(5).putInt(50).putInt(4).putInt(60).flip()));
        assertThatThrownBy(() -> OffsetIndex.read(file, 0, 10, 100))
                .isInstanceOf(CorruptIndexException.class)
                .hasMessageContaining("entry 1 (offset 4, position 60) out of order");

        Files.write(file, toArray(ByteBuffer.allocate(8).putInt(5).putInt(500).flip()));
        assertThatThrownBy(() -> OffsetIndex.read(file, 0, 10, 100))
                .isInstanceOf(CorruptIndexException.class)
                .hasMessageContaining("outside the segment");
    }

    static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
