package io.shardwire.mq;

import io.shardwire.mq.log.FsyncPolicy;
import io.shardwire.mq.log.LogConfig;
import io.shardwire.mq.log.RetentionPolicy;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The settings of a {@link QueueStore}, checked when built. The first six mirror the configuration module's queue
 * section, which the launcher maps onto this record; this module does not depend on that one.
 *
 * @param dataDir                  where topic partitions and consumer groups keep their files
 * @param segmentBytes             size at which a segment is rolled, 1 to 2 GiB - 1
 * @param fsync                    when appends are forced to disk (the loss window)
 * @param fsyncIntervalMs          period of the background force under {@link FsyncPolicy#INTERVAL}, &gt; 0
 * @param retentionHours           segments whose newest record is older than this are deleted whole; -1 keeps them
 * @param retentionBytes           a partition larger than this loses its oldest segments; -1 means no limit
 * @param diskQuotaBytes           when the segments of all partitions take this much, appends wait for retention to
 *                                 free space; -1 means no quota
 * @param indexIntervalBytes       bytes of log between two index entries, &gt; 0
 * @param retentionCheckIntervalMs period of the background retention run; 0 runs none (call
 *                                 {@link QueueStore#enforceRetention} yourself)
 */
public record QueueSettings(
        Path dataDir,
        long segmentBytes,
        FsyncPolicy fsync,
        long fsyncIntervalMs,
        long retentionHours,
        long retentionBytes,
        long diskQuotaBytes,
        int indexIntervalBytes,
        long retentionCheckIntervalMs) {

    /** Checks every limit. */
    public QueueSettings {
        if (dataDir == null) {
            throw new IllegalArgumentException("dataDir: null (expected: a directory)");
        }
        if (segmentBytes <= 0 || segmentBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("segmentBytes: " + segmentBytes + " (expected: > 0 and <= "
                    + Integer.MAX_VALUE + ")");
        }
        if (fsync == null) {
            throw new IllegalArgumentException("fsync: null (expected: BATCH, INTERVAL or NEVER)");
        }
        if (fsyncIntervalMs <= 0) {
            throw new IllegalArgumentException("fsyncIntervalMs: " + fsyncIntervalMs + " (expected: > 0)");
        }
        if (retentionHours < -1) {
            throw new IllegalArgumentException("retentionHours: " + retentionHours
                    + " (expected: -1 to keep forever, or >= 0)");
        }
        if (retentionBytes < -1) {
            throw new IllegalArgumentException("retentionBytes: " + retentionBytes
                    + " (expected: -1 for no limit, or >= 0)");
        }
        if (diskQuotaBytes < -1 || diskQuotaBytes == 0) {
            throw new IllegalArgumentException("diskQuotaBytes: " + diskQuotaBytes
                    + " (expected: -1 for no quota, or > 0)");
        }
        if (indexIntervalBytes <= 0) {
            throw new IllegalArgumentException("indexIntervalBytes: " + indexIntervalBytes + " (expected: > 0)");
        }
        if (retentionCheckIntervalMs < 0) {
            throw new IllegalArgumentException("retentionCheckIntervalMs: " + retentionCheckIntervalMs
                    + " (expected: 0 for no background retention, or > 0)");
        }
    }

    /**
     * The defaults: 1 GiB segments, {@link FsyncPolicy#BATCH} (1 s interval if switched to INTERVAL), 7 days of
     * retention, no size limit, no quota, an index entry every 4 KiB, retention checked every 5 minutes.
     *
     * @param dataDir the data directory
     * @return the settings
     */
    public static QueueSettings defaults(Path dataDir) {
        return new QueueSettings(dataDir, LogConfig.DEFAULT_SEGMENT_BYTES, FsyncPolicy.BATCH, 1000, 7 * 24, -1, -1,
                LogConfig.DEFAULT_INDEX_INTERVAL_BYTES, Duration.ofMinutes(5).toMillis());
    }

    /** @return the settings of each partition log */
    public LogConfig logConfig() {
        return new LogConfig((int) segmentBytes, indexIntervalBytes, fsync);
    }

    /** @return the retention limits of each partition */
    public RetentionPolicy retentionPolicy() {
        return new RetentionPolicy(retentionHours < 0 ? -1 : Duration.ofHours(retentionHours).toMillis(),
                retentionBytes);
    }
}
