package io.shardwire.mq.log;

/**
 * A read asked for an offset the partition does not hold: below the earliest retained offset (retention deleted
 * it; restart from the earliest offset or a committed one) or past the log end offset.
 */
public final class OffsetOutOfRangeException extends RuntimeException {

    private final long offset;
    private final long earliest;
    private final long logEnd;

    /**
     * @param partition the partition read
     * @param offset    the offset asked for
     * @param earliest  the partition's earliest offset
     * @param logEnd    the partition's log end offset
     */
    public OffsetOutOfRangeException(TopicPartition partition, long offset, long earliest, long logEnd) {
        super(offset < earliest
                ? "offset " + offset + " is out of range, earliest is " + earliest + " (partition " + partition + ")"
                : "offset " + offset + " is out of range, log end is " + logEnd + " (partition " + partition + ")");
        this.offset = offset;
        this.earliest = earliest;
        this.logEnd = logEnd;
    }

    /** @return the offset asked for */
    public long offset() {
        return offset;
    }

    /** @return the partition's earliest offset when the read failed */
    public long earliest() {
        return earliest;
    }

    /** @return the partition's log end offset when the read failed */
    public long logEnd() {
        return logEnd;
    }
}
