package io.shardwire.mq.log;

import static io.shardwire.mq.log.TestBatches.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BatchFormatTest {

    private static final Path FILE = Path.of("00000000000000000000.log");

    @Test
    void encodedBatchDecodesToTheSameRecords() throws Exception {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        headers.put("table", bytes("orders"));
        headers.put("op", bytes("u"));
        List<Record> records = List.of(
                new Record(1_000, bytes("k1"), headers, bytes("v1")),
                new Record(900, null, Map.of(), bytes("no key, earlier timestamp")),
                new Record(1_500, bytes("k3"), Map.of("h", new byte[0]), null));
        RecordBatch batch = RecordBatch.of("cdc-g0", new SourcePosition(42, bytes("gtid:1-1-42")), records);

        ByteBuffer encoded = BatchFormat.encode(batch, 100);
        StoredBatch stored = StoredBatch.validate(encoded, FILE, 0);

        assertThat(stored.baseOffset()).isEqualTo(100);
        assertThat(stored.lastOffset()).isEqualTo(102);
        assertThat(stored.maxTimestamp()).isEqualTo(1_500);
        assertThat(stored.producer()).contains(batch.producer().orElseThrow());
        assertThat(stored.records()).containsExactly(
                new LogRecord(100, records.get(0), batch.producer()),
                new LogRecord(101, records.get(1), batch.producer()),
                new LogRecord(102, records.get(2), batch.producer()));
        assertThat(stored.records().get(0).record().headers().keySet()).containsExactly("table", "op");
    }

    @Test
    void headerFieldsSitWhereTheLayoutTableSays() {
        RecordBatch batch = RecordBatch.of("p1", new SourcePosition(7, new byte[] {9, 8}),
                List.of(new Record(5_000, bytes("k"), Map.of(), bytes("value"))));
        ByteBuffer encoded = BatchFormat.encode(batch, 12_345);

        int recordSize = 4 + 4 + 8 + 4 + 1 + 4 + 4 + 5;
        assertThat(encoded.remaining()).isEqualTo(48 + 2 + 2 + recordSize);
        assertThat(encoded.getLong(0)).isEqualTo(12_345);
        assertThat(encoded.getInt(8)).isEqualTo(encoded.remaining() - 12);
        assertThat(encoded.get(16)).isEqualTo((byte) 1);
        assertThat(encoded.getInt(17)).isEqualTo(1);
        assertThat(encoded.getLong(21)).isEqualTo(5_000);
        assertThat(encoded.getLong(29)).isEqualTo(5_000);
        assertThat(encoded.getLong(37)).isEqualTo(7);
        assertThat(encoded.get(45)).isEqualTo((byte) 2);
        assertThat(new String(new byte[] {encoded.get(46), encoded.get(47)})).isEqualTo("p1");
        assertThat(encoded.getShort(48)).isEqualTo((short) 2);
        assertThat(new byte[] {encoded.get(50), encoded.get(51)}).containsExactly(9, 8);
        assertThat(encoded.getInt(52)).isEqualTo(recordSize - 4);
        assertThat(BatchFormat.recordSize(batch.records().get(0))).isEqualTo(recordSize);
    }

    @Test
    void anonymousBatchHasNoProducer() throws Exception {
        ByteBuffer encoded = BatchFormat.encode(TestBatches.anonymous(3, 10), 0);

        assertThat(encoded.getLong(37)).isEqualTo(-1);
        assertThat(encoded.get(45)).isEqualTo((byte) 0);
        assertThat(StoredBatch.validate(encoded, FILE, 0).producer()).isEqualTo(Optional.empty());
    }

    @Test
    void everyFlippedByteAfterTheCrcFieldFailsTheCheck() {
        ByteBuffer encoded = BatchFormat.encode(TestBatches.produced("p", 3, 77), 0);
        byte[] original = Arrays.copyOf(encoded.array(), encoded.remaining());
        for (int i = 16; i < original.length; i++) {
            byte[] damaged = original.clone();
            damaged[i] ^= 0x10;
            int position = i;
            assertThatThrownBy(() -> StoredBatch.validate(ByteBuffer.wrap(damaged), FILE, 4096))
                    .as("byte %d flipped", position)
                    .isInstanceOf(CorruptRecordException.class)
                    .hasMessageContaining("at position 4096");
        }
    }

    @Test
    void emptyBatchIsRejected() {
        assertThatThrownBy(() -> RecordBatch.of(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("records: [] (expected: at least one record)");
    }
}
