package io.shardwire.mq.index;

/**
 * A timestamp and the offset of the batch in which the segment's largest timestamp so far first reached it.
 *
 * @param timestamp milliseconds since the epoch, or {@link TimeIndex#NO_TIMESTAMP}
 * @param offset    an absolute offset
 */
public record TimestampOffset(long timestamp, long offset) {
}
