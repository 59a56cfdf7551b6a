package io.shardwire.mq.log;

/**
 * The settings of one partition log, checked when built.
 *
 * @param segmentBytes       a segment is rolled when the next batch would take it past this size (a single larger
 *                           batch gets a segment of its own); at most 2 GiB - 1 since file positions are ints
 * @param indexIntervalBytes bytes of log between two index entries: smaller means faster lookups and larger indexes
 * @param fsync              when appends are forced to disk
 */
public record LogConfig(int segmentBytes, int indexIntervalBytes, FsyncPolicy fsync) {

    /** Default segment size, 1 GiB. */
    public static final int DEFAULT_SEGMENT_BYTES = 1 << 30;

    /** Default index interval, 4 KiB. */
    public static final int DEFAULT_INDEX_INTERVAL_BYTES = 4096;

    /** Checks the limits. */
    public LogConfig {
        if (segmentBytes <= 0) {
            throw new IllegalArgumentException("segmentBytes: " + segmentBytes + " (expected: > 0)");
        }
        if (indexIntervalBytes <= 0) {
            throw new IllegalArgumentException("indexIntervalBytes: " + indexIntervalBytes + " (expected: > 0)");
        }
        if (fsync == null) {
            throw new IllegalArgumentException("fsync: null (expected: BATCH, INTERVAL or NEVER)");
        }
    }

    /** @return 1 GiB segments, an index entry every 4 KiB, {@link FsyncPolicy#BATCH} */
    public static LogConfig defaults() {
        return new LogConfig(DEFAULT_SEGMENT_BYTES, DEFAULT_INDEX_INTERVAL_BYTES, FsyncPolicy.BATCH);
    }
}
