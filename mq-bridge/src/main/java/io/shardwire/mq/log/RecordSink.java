package io.shardwire.mq.log;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the records of one read up to its limits. The first record is always taken, even when it alone is larger
 * than the byte limit, so that a consumer can always make progress.
 *
 * <p>Not thread-safe: one sink per read.
 */
final class RecordSink {

    private final int maxRecords;
    private final int maxBytes;
    private final List<LogRecord> records = new ArrayList<>();
    private long bytes;
    private boolean full;

    RecordSink(int maxRecords, int maxBytes) {
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
    }

    /**
     * Takes a record if it fits; once one does not, or a limit is reached, the sink is full.
     *
     * @param record the next record of the read
     */
    void offer(LogRecord record) {
        int size = BatchFormat.recordSize(record.record());
        if (!records.isEmpty() && bytes + size > maxBytes) {
            full = true;
            return;
        }
        records.add(record);
        bytes += size;
        full = records.size() >= maxRecords || bytes >= maxBytes;
    }

    boolean isFull() {
        return full;
    }

    List<LogRecord> records() {
        return List.copyOf(records);
    }
}
