package io.shardwire.mq.log;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Where a producer was in its source when it produced a batch: for the CDC, its binlog coordinates or GTID set.
 * The log never interprets {@link #bytes}; it orders positions by {@link #sequence}, which the producer guarantees
 * increases with every batch it produces.
 *
 * <p>Shallowly immutable: the array is not copied, so do not change it after creating the position.
 *
 * @param sequence the producer's monotonic counter, &gt;= 0
 * @param bytes    the producer's own encoding of the position (may be empty), at most 65,535 bytes
 */
public record SourcePosition(long sequence, byte[] bytes) implements Comparable<SourcePosition> {

    /** The largest encoded position, so that it fits in a batch header. */
    public static final int MAX_BYTES = 0xFFFF;

    /** Checks the sequence and the size of the bytes. */
    public SourcePosition {
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence: " + sequence + " (expected: >= 0)");
        }
        if (bytes == null || bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("bytes: " + (bytes == null ? "null" : bytes.length + " bytes")
                    + " (expected: 0 to " + MAX_BYTES + " bytes)");
        }
    }

    /** Orders by {@link #sequence} only: two positions with the same sequence are the same point in the source. */
    @Override
    public int compareTo(SourcePosition other) {
        return Long.compare(sequence, other.sequence);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SourcePosition that && sequence == that.sequence && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sequence) * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "sequence " + sequence + " (" + HexFormat.of().formatHex(bytes) + ")";
    }
}
