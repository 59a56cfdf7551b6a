package io.shardwire.mq.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A sparse map from offset to file position for one segment, used to start a read near its offset instead of at
 * the beginning of the segment.
 *
 * <p>The serialized form (the {@code .index} file) is a sequence of fixed 8-byte entries: a 4-byte offset relative
 * to the segment's base offset and the 4-byte position in the log file of the batch starting at that offset, both
 * big-endian. Relative offsets never leave this class. Entries are added every {@code indexIntervalBytes} of log,
 * so lookups return a position at or before the wanted batch and the reader scans forward from there.
 *
 * <p><b>Invariants:</b> offsets and positions strictly increase from entry to entry; every offset is &gt;= the base
 * offset and fits in an int once made relative. The index holds no checksum: {@link #read} checks these invariants
 * against the log and the owner rebuilds the index from the log when the check fails.
 *
 * <p><b>Thread-safety:</b> one appending thread and any number of looking-up threads. Entries are published by a
 * volatile count written after the entry, so lookups never block and never see a half-written entry. {@link #reset}
 * is for recovery, before the index is shared.
 */
public final class OffsetIndex {

    /** Bytes per entry in the serialized form. */
    public static final int ENTRY_SIZE = 8;

    private static final int INITIAL_CAPACITY = 64;

    private final long baseOffset;
    /** Each entry packs the relative offset into the high 32 bits and the position into the low 32 bits. */
    private volatile long[] entries = new long[INITIAL_CAPACITY];
    private volatile int count;

    /**
     * An empty index.
     *
     * @param baseOffset the base offset of the segment
     */
    public OffsetIndex(long baseOffset) {
        this.baseOffset = baseOffset;
    }

    /**
     * Reads an index file and checks it against its segment.
     *
     * @param file       the {@code .index} file
     * @param baseOffset the base offset of the segment
     * @param nextOffset one past the last offset of the segment
     * @param logSize    the size in bytes of the segment's log file
     * @return the index
     * @throws CorruptIndexException if the file is not a whole number of entries, or its entries do not increase or
     *     point outside the segment
     * @throws IOException if the file cannot be read (including when it does not exist)
     */
    public static OffsetIndex read(Path file, long baseOffset, long nextOffset, int logSize) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length % ENTRY_SIZE != 0) {
            throw new CorruptIndexException("index file " + file + " has " + bytes.length
                    + " bytes, which is not a multiple of the entry size " + ENTRY_SIZE);
        }
        OffsetIndex index = new OffsetIndex(baseOffset);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long previousOffset = baseOffset - 1;
        int previousPosition = -1;
        while (buffer.hasRemaining()) {
            long offset = baseOffset + buffer.getInt();
            int position = buffer.getInt();
            if (offset <= previousOffset || offset >= nextOffset || position <= previousPosition || position >= logSize) {
                throw new CorruptIndexException("index file " + file + " has entry " + index.entries() + " (offset "
                        + offset + ", position " + position + ") out of order or outside the segment (offsets "
                        + baseOffset + " to " + (nextOffset - 1) + ", " + logSize + " bytes)");
            }
            index.append(offset, position);
            previousOffset = offset;
            previousPosition = position;
        }
        return index;
    }

    /**
     * Adds an entry. Single appending thread only.
     *
     * @param offset   the base offset of a batch, greater than every offset already in the index
     * @param position the position of that batch in the log file, greater than every position already in the index
     * @throws IllegalArgumentException if the offset or position does not increase, or the offset is out of the
     *     segment's range
     */
    public void append(long offset, int position) {
        long relative = offset - baseOffset;
        if (relative < 0 || relative > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("offset " + offset + " does not fit an index with base offset "
                    + baseOffset + " (expected: " + baseOffset + " to " + (baseOffset + Integer.MAX_VALUE) + ")");
        }
        int n = count;
        if (n > 0) {
            long last = entries[n - 1];
            if (relative <= relativeOffset(last) || position <= position(last)) {
                throw new IllegalArgumentException("index entry (offset " + offset + ", position " + position
                        + ") does not follow the last entry (offset " + (baseOffset + relativeOffset(last))
                        + ", position " + position(last) + ")");
            }
        }
        long[] array = entries;
        if (n == array.length) {
            // Copy before publishing: a reader holding the old array still finds its first n entries there.
            array = Arrays.copyOf(array, n * 2);
            entries = array;
        }
        array[n] = (relative << 32) | (position & 0xFFFFFFFFL);
        count = n + 1;
    }

    /**
     * Finds the entry with the largest offset &lt;= the target.
     *
     * @param targetOffset the offset wanted
     * @return that entry, or (base offset, position 0) if there is none
     */
    public OffsetPosition lookup(long targetOffset) {
        int n = count;
        long[] array = entries;
        long target = targetOffset - baseOffset;
        int low = 0;
        int high = n - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (relativeOffset(array[mid]) <= target) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        if (found < 0) {
            return new OffsetPosition(baseOffset, 0);
        }
        return new OffsetPosition(baseOffset + relativeOffset(array[found]), position(array[found]));
    }

    /** Empties the index, for a rebuild during recovery. Not safe while other threads use the index. */
    public void reset() {
        entries = new long[INITIAL_CAPACITY];
        count = 0;
    }

    /** @return the number of entries */
    public int entries() {
        return count;
    }

    /** @return the serialized form, ready to write as the {@code .index} file */
    public ByteBuffer toBuffer() {
        int n = count;
        long[] array = entries;
        ByteBuffer buffer = ByteBuffer.allocate(n * ENTRY_SIZE);
        for (int i = 0; i < n; i++) {
            buffer.putInt((int) relativeOffset(array[i])).putInt(position(array[i]));
        }
        return buffer.flip();
    }

    private static long relativeOffset(long entry) {
        return entry >>> 32;
    }

    private static int position(long entry) {
        return (int) entry;
    }
}
