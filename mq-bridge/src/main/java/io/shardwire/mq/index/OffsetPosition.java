package io.shardwire.mq.index;

/**
 * An offset and the file position of the batch that starts at it.
 *
 * @param offset   an absolute offset
 * @param position a byte position in the segment's log file
 */
public record OffsetPosition(long offset, int position) {
}
