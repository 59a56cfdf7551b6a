package io.shardwire.mq.log;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds deterministic records and batches for the log tests. */
final class TestBatches {

    private TestBatches() {
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Record {@code i} of batch {@code batch}: key "k(batch % 3)", value "b<batch>-r<i>" padded to vary sizes. */
    static Record record(int batch, int i, long timestamp) {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        headers.put("batch", bytes(Integer.toString(batch)));
        if (i % 2 == 0) {
            headers.put("even", new byte[0]);
        }
        String value = "b" + batch + "-r" + i + "-" + "x".repeat((batch * 7 + i * 13) % 40);
        return new Record(timestamp, bytes("k" + (batch % 3)), headers, bytes(value));
    }

    /** Batch {@code batch}: 1 + batch % 4 records stamped {@code timestamp}. */
    static RecordBatch anonymous(int batch, long timestamp) {
        return RecordBatch.of(records(batch, timestamp));
    }

    /** Batch {@code batch} from a producer at sequence {@code batch}, position bytes "pos-<batch>". */
    static RecordBatch produced(String producerId, int batch, long timestamp) {
        return RecordBatch.of(producerId, position(batch), records(batch, timestamp));
    }

    static SourcePosition position(long sequence) {
        return new SourcePosition(sequence, bytes("pos-" + sequence));
    }

    static List<Record> records(int batch, long timestamp) {
        List<Record> records = new ArrayList<>();
        for (int i = 0; i <= batch % 4; i++) {
            records.add(record(batch, i, timestamp));
        }
        return records;
    }

    static LogConfig smallSegments(FsyncPolicy fsync) {
        return new LogConfig(1024, 128, fsync);
    }
}
