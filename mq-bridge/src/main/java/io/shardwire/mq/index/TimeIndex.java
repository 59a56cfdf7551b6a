package io.shardwire.mq.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A sparse map from timestamp to offset for one segment, used to find the first record at or after a time.
 *
 * <p>The serialized form (the {@code .timeindex} file) is a sequence of fixed 12-byte entries: an 8-byte timestamp
 * and a 4-byte offset relative to the segment's base offset, both big-endian. An entry (T, O) says: the largest
 * timestamp in the segment up to and including the batch at offset O is T, and every record before that batch has
 * a timestamp below T. Record timestamps need not increase, so the entries record the running maximum and an entry
 * is added only when that maximum grows. Hence: the first record with a timestamp &gt;= X is at or after the offset
 * of the entry with the largest timestamp &lt;= X.
 *
 * <p><b>Invariants:</b> timestamps strictly increase and offsets never decrease from entry to entry. When a segment
 * becomes inactive its time index gets a final entry for the segment's largest timestamp, so the last entry of an
 * inactive segment's time index is its largest timestamp. No checksum: {@link #read} checks the invariants and the
 * owner rebuilds the index from the log when the check fails.
 *
 * <p><b>Thread-safety:</b> as {@link OffsetIndex}: one appending thread, any number of lock-free readers.
 */
public final class TimeIndex {

    /** Bytes per entry in the serialized form. */
    public static final int ENTRY_SIZE = 12;

    /** The timestamp of an empty segment. */
    public static final long NO_TIMESTAMP = -1L;

    private static final int INITIAL_CAPACITY = 64;

    private final long baseOffset;
    /** Entry i is (entries[2i] = timestamp, entries[2i + 1] = relative offset). */
    private volatile long[] entries = new long[2 * INITIAL_CAPACITY];
    private volatile int count;

    /**
     * An empty index.
     *
     * @param baseOffset the base offset of the segment
     */
    public TimeIndex(long baseOffset) {
        this.baseOffset = baseOffset;
    }

    /**
     * Reads a time index file and checks it against its segment.
     *
     * @param file       the {@code .timeindex} file
     * @param baseOffset the base offset of the segment
     * @param nextOffset one past the last offset of the segment
     * @return the index
     * @throws CorruptIndexException if the file is not a whole number of entries, or its entries are out of order or
     *     point outside the segment
     * @throws IOException if the file cannot be read (including when it does not exist)
     */
    public static TimeIndex read(Path file, long baseOffset, long nextOffset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length % ENTRY_SIZE != 0) {
            throw new CorruptIndexException("time index file " + file + " has " + bytes.length
                    + " bytes, which is not a multiple of the entry size " + ENTRY_SIZE);
        }
        TimeIndex index = new TimeIndex(baseOffset);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long previousTimestamp = Long.MIN_VALUE;
        long previousOffset = baseOffset;
        while (buffer.hasRemaining()) {
            long timestamp = buffer.getLong();
            long offset = baseOffset + buffer.getInt();
            if (timestamp <= previousTimestamp || offset < previousOffset || offset >= nextOffset) {
                throw new CorruptIndexException("time index file " + file + " has entry " + index.entries()
                        + " (timestamp " + timestamp + ", offset " + offset
                        + ") out of order or outside the segment (offsets " + baseOffset + " to " + (nextOffset - 1)
                        + ")");
            }
            index.maybeAppend(timestamp, offset);
            previousTimestamp = timestamp;
            previousOffset = offset;
        }
        return index;
    }

    /**
     * Adds an entry if the timestamp is larger than the last entry's. Single appending thread only.
     *
     * @param timestamp the segment's largest timestamp so far
     * @param offset    the base offset of the batch where that timestamp first appeared
     * @throws IllegalArgumentException if the offset is below the last entry's or out of the segment's range
     */
    public void maybeAppend(long timestamp, long offset) {
        long relative = offset - baseOffset;
        if (relative < 0 || relative > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("offset " + offset + " does not fit a time index with base offset "
                    + baseOffset + " (expected: " + baseOffset + " to " + (baseOffset + Integer.MAX_VALUE) + ")");
        }
        int n = count;
        long[] array = entries;
        if (n > 0) {
            if (timestamp <= array[2 * n - 2]) {
                return;
            }
            if (relative < array[2 * n - 1]) {
                throw new IllegalArgumentException("time index entry (timestamp " + timestamp + ", offset " + offset
                        + ") goes back from the last entry's offset " + (baseOffset + array[2 * n - 1]));
            }
        }
        if (2 * n == array.length) {
            // Copy before publishing: a reader holding the old array still finds its first n entries there.
            array = Arrays.copyOf(array, array.length * 2);
            entries = array;
        }
        array[2 * n] = timestamp;
        array[2 * n + 1] = relative;
        count = n + 1;
    }

    /**
     * Finds the entry with the largest timestamp &lt;= the target: the first record with a timestamp &gt;= the
     * target is at or after its offset.
     *
     * @param targetTimestamp the timestamp wanted
     * @return that entry, or ({@link #NO_TIMESTAMP}, base offset) if there is none
     */
    public TimestampOffset lookup(long targetTimestamp) {
        int n = count;
        long[] array = entries;
        int low = 0;
        int high = n - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (array[2 * mid] <= targetTimestamp) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        if (found < 0) {
            return new TimestampOffset(NO_TIMESTAMP, baseOffset);
        }
        return new TimestampOffset(array[2 * found], baseOffset + array[2 * found + 1]);
    }

    /** @return the last entry, or ({@link #NO_TIMESTAMP}, base offset) if the index is empty */
    public TimestampOffset lastEntry() {
        int n = count;
        long[] array = entries;
        if (n == 0) {
            return new TimestampOffset(NO_TIMESTAMP, baseOffset);
        }
        return new TimestampOffset(array[2 * n - 2], baseOffset + array[2 * n - 1]);
    }

    /** Empties the index, for a rebuild during recovery. Not safe while other threads use the index. */
    public void reset() {
        entries = new long[2 * INITIAL_CAPACITY];
        count = 0;
    }

    /** @return the number of entries */
    public int entries() {
        return count;
    }

    /** @return the serialized form, ready to write as the {@code .timeindex} file */
    public ByteBuffer toBuffer() {
        int n = count;
        long[] array = entries;
        ByteBuffer buffer = ByteBuffer.allocate(n * ENTRY_SIZE);
        for (int i = 0; i < n; i++) {
            buffer.putLong(array[2 * i]).putInt((int) array[2 * i + 1]);
        }
        return buffer.flip();
    }
}
