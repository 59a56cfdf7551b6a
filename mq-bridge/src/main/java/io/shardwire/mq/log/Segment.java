package io.shardwire.mq.log;

import io.shardwire.mq.index.CorruptIndexException;
import io.shardwire.mq.index.OffsetIndex;
import io.shardwire.mq.index.TimeIndex;
import io.shardwire.mq.index.TimestampOffset;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A segment of a partition log: a log file ({@code <base offset>.log}) plus its {@link OffsetIndex}
 * ({@code .index}) and {@link TimeIndex} ({@code .timeindex}), nothing else.
 *
 * <p><b>Invariants:</b> the base offset is &lt;= every offset in the segment and &gt; every offset in the previous
 * segment; batches follow each other without gaps, each starting at the previous one's next offset. The indexes are
 * derived from the log: the active (last) segment keeps them in memory only and rebuilds them by {@link #recover}
 * when the log opens; an inactive segment's index files are written once, when it is rolled, and rebuilt from its
 * log if missing or failing their sanity check.
 *
 * <p><b>Thread-safety:</b> appends, {@link #recover} and {@link #onBecomeInactive} come from one thread at a time
 * (the log's append lock holder). Reads, lookups and scans may run on any threads at the same time as an append:
 * they see a prefix of the appended batches, never part of one.
 */
final class Segment implements Closeable {

    /** Sees each batch of a scan; returns false to stop the scan. */
    @FunctionalInterface
    interface BatchVisitor {
        boolean visit(StoredBatch batch);
    }

    private static final Logger LOG = LoggerFactory.getLogger(Segment.class);

    private final Path dir;
    private final long baseOffset;
    private final FileRecords log;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final int indexIntervalBytes;
    private int bytesSinceLastIndexEntry;
    private volatile long nextOffset;
    private volatile long maxTimestamp = TimeIndex.NO_TIMESTAMP;
    private long offsetOfMaxTimestamp;

    private Segment(Path dir, long baseOffset, FileRecords log, OffsetIndex offsetIndex, TimeIndex timeIndex,
            int indexIntervalBytes) {
        this.dir = dir;
        this.baseOffset = baseOffset;
        this.log = log;
        this.offsetIndex = offsetIndex;
        this.timeIndex = timeIndex;
        this.indexIntervalBytes = indexIntervalBytes;
        this.nextOffset = baseOffset;
        this.offsetOfMaxTimestamp = baseOffset;
    }

    /**
     * Creates an empty segment, forcing the directory so that the new file survives a machine crash.
     *
     * @param dir                the partition directory
     * @param baseOffset         the offset of the segment's first record
     * @param indexIntervalBytes bytes of log between index entries
     * @return the segment
     * @throws IOException if the file cannot be created
     */
    static Segment create(Path dir, long baseOffset, int indexIntervalBytes) throws IOException {
        FileRecords log = FileRecords.open(LogFileNames.logFile(dir, baseOffset));
        DurableFiles.syncDirectory(dir);
        return new Segment(dir, baseOffset, log, new OffsetIndex(baseOffset), new TimeIndex(baseOffset),
                indexIntervalBytes);
    }

    /**
     * Opens the active segment; the caller must {@link #recover} it before use.
     *
     * @param dir                the partition directory
     * @param baseOffset         the segment's base offset
     * @param indexIntervalBytes bytes of log between index entries
     * @return the segment, with empty indexes
     * @throws IOException if the log file cannot be opened
     */
    static Segment openActive(Path dir, long baseOffset, int indexIntervalBytes) throws IOException {
        return create(dir, baseOffset, indexIntervalBytes);
    }

    /**
     * Opens an inactive segment. Its log is trusted; its index files are read and checked, or rebuilt from the log
     * (and rewritten) if they are missing or fail the check.
     *
     * @param dir                the partition directory
     * @param baseOffset         the segment's base offset
     * @param nextOffset         the next segment's base offset
     * @param indexIntervalBytes bytes of log between index entries
     * @return the segment
     * @throws IOException if the log cannot be opened, or a rebuild finds the log itself damaged
     */
    static Segment openInactive(Path dir, long baseOffset, long nextOffset, int indexIntervalBytes)
            throws IOException {
        FileRecords log = FileRecords.openReadOnly(LogFileNames.logFile(dir, baseOffset));
        try {
            Segment segment = readIndexes(dir, baseOffset, nextOffset, log, indexIntervalBytes);
            if (segment != null) {
                return segment;
            }
            segment = new Segment(dir, baseOffset, log, new OffsetIndex(baseOffset), new TimeIndex(baseOffset),
                    indexIntervalBytes);
            segment.rebuildInactive(nextOffset);
            return segment;
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
    }

    private static Segment readIndexes(Path dir, long baseOffset, long nextOffset, FileRecords log,
            int indexIntervalBytes) throws IOException {
        OffsetIndex offsetIndex;
        TimeIndex timeIndex;
        try {
            offsetIndex = OffsetIndex.read(LogFileNames.indexFile(dir, baseOffset), baseOffset, nextOffset,
                    log.sizeInBytes());
            timeIndex = TimeIndex.read(LogFileNames.timeIndexFile(dir, baseOffset), baseOffset, nextOffset);
            if (timeIndex.entries() == 0 && log.sizeInBytes() > 0) {
                throw new CorruptIndexException("time index file " + LogFileNames.timeIndexFile(dir, baseOffset)
                        + " is empty, but a rolled segment's time index always ends with its largest timestamp");
            }
        } catch (NoSuchFileException e) {
            LOG.warn("Index file {} is missing; rebuilding the indexes of segment {} from its log", e.getFile(),
                    log.file());
            return null;
        } catch (CorruptIndexException e) {
            LOG.warn("{}; rebuilding the indexes of segment {} from its log", e.getMessage(), log.file());
            return null;
        }
        Segment segment = new Segment(dir, baseOffset, log, offsetIndex, timeIndex, indexIntervalBytes);
        segment.nextOffset = nextOffset;
        TimestampOffset last = timeIndex.lastEntry();
        segment.maxTimestamp = last.timestamp();
        segment.offsetOfMaxTimestamp = last.offset();
        return segment;
    }

    private void rebuildInactive(long expectedNextOffset) throws IOException {
        try {
            int end = rebuildIndexes(false);
            if (nextOffset != expectedNextOffset) {
                throw new CorruptRecordException(log.file(), end, "segment ends at offset " + nextOffset
                        + " but the next segment starts at " + expectedNextOffset);
            }
        } catch (CorruptRecordException e) {
            throw new IOException(e.getMessage() + "; this is an inactive segment, which recovery does not cut:"
                    + " restore " + log.file() + " from a backup, or move it and every later segment out of " + dir
                    + " to keep only the offsets before " + baseOffset, e);
        }
        onBecomeInactive();
    }

    /**
     * Rebuilds the indexes of the active segment from its log and cuts the log at the first batch that is torn,
     * fails its CRC, or does not follow the previous batch. Everything after that batch goes too: the log has no
     * gaps, so nothing after the first bad batch can be kept.
     *
     * @return the number of bytes cut from the end of the log file
     * @throws IOException if the file cannot be read or truncated
     */
    long recover() throws IOException {
        return log.truncateTo(rebuildIndexes(true));
    }

    /** Scans the whole log, indexing it; returns the position after the last valid batch. */
    private int rebuildIndexes(boolean stopAtCorruption) throws IOException {
        offsetIndex.reset();
        timeIndex.reset();
        maxTimestamp = TimeIndex.NO_TIMESTAMP;
        offsetOfMaxTimestamp = baseOffset;
        bytesSinceLastIndexEntry = 0;
        long expected = baseOffset;
        BatchScanner scanner = new BatchScanner(log, 0, log.sizeInBytes());
        while (scanner.hasNext()) {
            int position = scanner.position();
            try {
                StoredBatch batch = scanner.next();
                if (batch.baseOffset() != expected) {
                    throw new CorruptRecordException(log.file(), position, "base offset " + batch.baseOffset()
                            + " (expected: " + expected + ", where the previous batch ends)");
                }
                index(batch, position);
                expected = batch.nextOffset();
            } catch (CorruptRecordException e) {
                if (!stopAtCorruption) {
                    throw e;
                }
                LOG.warn("Recovery stops at {}: the log is cut there", e.getMessage());
                nextOffset = expected;
                return position;
            }
        }
        nextOffset = expected;
        return scanner.position();
    }

    /**
     * Appends a batch whose base offset is {@link #nextOffset}.
     *
     * @param batch the batch
     * @throws IOException if the write fails
     */
    void append(StoredBatch batch) throws IOException {
        int position = log.append(batch.bytes());
        index(batch, position);
        nextOffset = batch.nextOffset();
    }

    private void index(StoredBatch batch, int position) {
        if (batch.maxTimestamp() > maxTimestamp) {
            maxTimestamp = batch.maxTimestamp();
            offsetOfMaxTimestamp = batch.baseOffset();
        }
        if (bytesSinceLastIndexEntry > indexIntervalBytes) {
            offsetIndex.append(batch.baseOffset(), position);
            timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += batch.sizeInBytes();
    }

    /**
     * Reads records from an offset into a sink until the sink is full, the segment ends or the end offset is reached.
     *
     * @param fromOffset the first offset wanted, within or after the segment
     * @param endOffset  the offset not to read from: the log end offset visible to readers
     * @param sink       where the records go
     * @throws IOException if the file cannot be read or holds a corrupt batch
     */
    void read(long fromOffset, long endOffset, RecordSink sink) throws IOException {
        scan(fromOffset, endOffset, batch -> {
            for (LogRecord record : batch.records()) {
                if (record.offset() >= fromOffset) {
                    sink.offer(record);
                    if (sink.isFull()) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    /**
     * Finds the first record with a timestamp at or after a target.
     *
     * @param targetTimestamp the timestamp, ms since the epoch
     * @param endOffset       the offset not to look at or beyond
     * @return its offset, or empty if the segment has none below the end offset
     * @throws IOException if the file cannot be read
     */
    OptionalLong findOffsetByTimestamp(long targetTimestamp, long endOffset) throws IOException {
        if (maxTimestamp < targetTimestamp) {
            return OptionalLong.empty();
        }
        long[] found = {-1};
        scan(timeIndex.lookup(targetTimestamp).offset(), endOffset, batch -> {
            if (batch.maxTimestamp() < targetTimestamp) {
                return true;
            }
            for (LogRecord record : batch.records()) {
                if (record.timestamp() >= targetTimestamp) {
                    found[0] = record.offset();
                    return false;
                }
            }
            return true;
        });
        return found[0] < 0 ? OptionalLong.empty() : OptionalLong.of(found[0]);
    }

    /**
     * Visits, in order, the batches holding offsets from {@code fromOffset} up to {@code endOffset} (exclusive).
     *
     * @param fromOffset the first offset of interest
     * @param endOffset  the offset not to look at or beyond
     * @param visitor    sees each batch and says whether to go on
     * @return false if the visitor stopped the scan
     * @throws IOException if the file cannot be read or holds a corrupt batch
     */
    boolean scan(long fromOffset, long endOffset, BatchVisitor visitor) throws IOException {
        BatchScanner scanner = new BatchScanner(log, offsetIndex.lookup(fromOffset).position(), log.sizeInBytes());
        while (scanner.hasNext()) {
            StoredBatch batch = scanner.next();
            if (batch.baseOffset() >= endOffset) {
                return true;
            }
            if (batch.nextOffset() > fromOffset && !visitor.visit(batch)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Makes this segment inactive when the log rolls past it: adds the final time index entry (its largest
     * timestamp), forces the log and makes it read-only, and writes both index files. Safe to repeat if a roll
     * failed half-way.
     *
     * @throws IOException if forcing or writing fails
     */
    void onBecomeInactive() throws IOException {
        if (maxTimestamp != TimeIndex.NO_TIMESTAMP) {
            timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp);
        }
        log.makeReadOnly();
        DurableFiles.writeAtomically(LogFileNames.indexFile(dir, baseOffset), offsetIndex.toBuffer());
        DurableFiles.writeAtomically(LogFileNames.timeIndexFile(dir, baseOffset), timeIndex.toBuffer());
    }

    /**
     * Forces the log file to disk.
     *
     * @throws IOException if the force fails
     */
    void flush() throws IOException {
        log.flush();
    }

    long baseOffset() {
        return baseOffset;
    }

    /** @return one past the last offset appended to the segment */
    long nextOffset() {
        return nextOffset;
    }

    int sizeInBytes() {
        return log.sizeInBytes();
    }

    /** @return the largest record timestamp in the segment, or {@link TimeIndex#NO_TIMESTAMP} if it is empty */
    long maxTimestamp() {
        return maxTimestamp;
    }

    /**
     * Deletes the segment's files. The indexes go first (a crash then leaves a segment whose indexes are rebuilt), then
     * the log is renamed to {@code .deleted} (a crash then leaves a file the next open removes as garbage) and removed.
     *
     * @throws IOException if a deletion or the rename fails
     */
    void delete() throws IOException {
        Files.deleteIfExists(LogFileNames.indexFile(dir, baseOffset));
        Files.deleteIfExists(LogFileNames.timeIndexFile(dir, baseOffset));
        Path deletedLog = LogFileNames.deleted(log.file());
        log.renameTo(deletedLog);
        close();
        Files.delete(deletedLog);
    }

    @Override
    public void close() throws IOException {
        log.close();
    }

    @Override
    public String toString() {
        return "segment " + log.file() + " (offsets " + baseOffset + " to " + (nextOffset - 1) + ", "
                + log.sizeInBytes() + " bytes)";
    }
}
